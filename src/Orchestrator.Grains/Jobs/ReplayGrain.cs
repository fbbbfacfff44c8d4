using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.JobStore.Postgres;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// One replay: selects the finished jobs of a link (newest first, created before the replay started) a page at a
/// time from the job table and asks each to re-run (<see cref="IJobGrain.ReplayAsync"/>), then writes the page's
/// cursor and counts. A reminder holds it while it runs, so a replay whose silo died is carried on by another.
/// </summary>
public sealed partial class ReplayGrain(
    [PersistentState("replay", ReplayGrain.StorageName)] IPersistentState<ReplayRecord> state,
    JobQueries queries,
    TimeProvider clock,
    ILogger<ReplayGrain> logger) : Grain, IReplayGrain, IRemindable
{
    /// <summary>The grain storage that holds replays (Orleans' ADO.NET storage).</summary>
    public const string StorageName = "replays";

    private const string ReminderName = "replay";
    private const int PageSize = 200;
    private const int ReplayedAtOnce = 32;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private SerialWork? _work;
    private bool _failed;

    // After a failure nothing more runs in this activation: what it holds may be ahead of what is stored.
    private SerialWork Work => _work ??= new SerialWork(() => _failed, e => LogPageFailed(logger, e, this.GetPrimaryKeyString()));

    private bool Running => state.RecordExists && state.State.Status == ReplayStatus.Running;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Running)
        {
            Work.Start(RunAsync);
        }

        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ReplayProgress> StartAsync(ReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.RecordExists)
        {
            return state.State.Progress(this.GetPrimaryKeyString());
        }

        if (request.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Invalid replay: " + string.Join("; ", problems) + ".", nameof(request));
        }

        var startedAt = clock.GetUtcNow();
        state.State = new ReplayRecord
        {
            LinkId = request.LinkId,
            Statuses = [.. request.Statuses],
            CreatedFrom = request.CreatedFrom,
            CreatedBefore = request.CreatedBefore,
            Mode = request.Mode,
            RequestedBy = request.RequestedBy,
            Status = ReplayStatus.Running,
            StartedAt = startedAt,
            Selected = await queries.CountMatchingAsync(Selection(request, startedAt)),
        };
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        await state.WriteStateAsync();
        LogStarted(logger, this.GetPrimaryKeyString(), request.LinkId, state.State.Selected, request.Mode);
        Work.Start(RunAsync);
        return state.State.Progress(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public Task<ReplayProgress?> GetProgressAsync() =>
        Task.FromResult(state.RecordExists ? state.State.Progress(this.GetPrimaryKeyString()) : null);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Running)
        {
            Work.Start(RunAsync);
        }
        else
        {
            await this.UnregisterReminderIfAnyAsync(reminderName);
        }
    }

    private async Task RunAsync()
    {
        var replay = state.State;
        try
        {
            while (replay.Status == ReplayStatus.Running)
            {
                await ReplayPageAsync(replay);
            }
        }
        catch
        {
            // What is in memory may be ahead of what is stored: the next activation (the reminder's) starts from
            // the stored cursor and counts.
            _failed = true;
            DeactivateOnIdle();
            throw;
        }

        LogDone(logger, this.GetPrimaryKeyString(), replay.Replayed, replay.Skipped);
        await this.UnregisterReminderIfAnyAsync(ReminderName);
    }

    /// <summary>Replays the next page of jobs, then writes its cursor and counts together.</summary>
    private async Task ReplayPageAsync(ReplayRecord replay)
    {
        var page = await queries.QueryAsync(Selection(replay.Request(), replay.StartedAt) with { Cursor = replay.Cursor, Limit = PageSize });
        var (replayed, skipped) = (0, 0);
        foreach (var chunk in page.Jobs.Chunk(ReplayedAtOnce))
        {
            var results = await Task.WhenAll(chunk.Select(job =>
                GrainFactory.GetGrain<IJobGrain>(job.JobId).ReplayAsync(this.GetPrimaryKeyString(), replay.Mode, replay.RequestedBy)));
            replayed += results.Count(r => r.Accepted);
            skipped += results.Count(r => !r.Accepted);
        }

        // The page's counts go into the record only with its cursor, so a page done again is counted once.
        replay.Replayed += replayed;
        replay.Skipped += skipped;
        replay.Cursor = page.NextCursor;
        if (page.NextCursor is null)
        {
            replay.Status = ReplayStatus.Done;
            replay.FinishedAt = clock.GetUtcNow();
        }

        await state.WriteStateAsync();
    }

    /// <summary>The link's jobs the request selects, created before the replay started (so never its own new jobs).</summary>
    private static JobQuery Selection(ReplayRequest request, DateTimeOffset startedAt) => new()
    {
        Links = [request.LinkId],
        Statuses = request.SelectedStatuses,
        CreatedFrom = request.CreatedFrom,
        CreatedBefore = request.CreatedBefore is { } before && before < startedAt ? before : startedAt,
    };

    [LoggerMessage(1, LogLevel.Information, "Replay {ReplayId} of {Target} started: {Selected} jobs, as {Mode}")]
    private static partial void LogStarted(ILogger logger, string replayId, string target, long selected, ReplayMode mode);

    [LoggerMessage(2, LogLevel.Information, "Replay {ReplayId} done: {Replayed} jobs replayed, {Skipped} skipped")]
    private static partial void LogDone(ILogger logger, string replayId, long replayed, long skipped);

    [LoggerMessage(3, LogLevel.Warning, "Replay {ReplayId}: a page failed; its reminder carries it on")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, string replayId);
}

using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The per-row half of the job grain (issue 9): a per-row job waits while an earlier job of its row is unresolved,
/// the job that releases the row wakes the next, and a coalescing link's waiting job absorbs later changes. The
/// decisions are <see cref="RowOrder"/>'s; the job table answers the questions, so a crash loses nothing: a waiting
/// job that is never woken is resumed by the rescuer (its record does not move) and asks again.
/// </summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public Task<JobSummary?> AbsorbAsync(CapturedEvent later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return ChangeAsync<JobSummary?>(async () =>
        {
            if (!state.RecordExists || !(RowOrder.CanAbsorb(state.State) || state.State.Absorbed.Contains(later.Id)))
            {
                return null;
            }

            if (JobLifecycle.Absorb(state.State, later))
            {
                await WriteOrReloadAsync();
                LogAbsorbed(logger, state.State.JobId, later.Id, state.State.Absorbed.Count);
            }

            return JobSummary.Of(state.State);
        });
    }

    /// <summary>
    /// For a coalescing link: the job of the row that absorbed the event already (a redelivery), or the job just
    /// before it, if it still waits and absorbs it now; null when the event needs a job of its own.
    /// </summary>
    private async Task<JobSummary?> AbsorbedByAsync(JobRequest request)
    {
        var (linkId, rowKey, eventId) = (request.LinkId, request.Event.RowKey!, request.Event.Id);
        if (await rows.FindAbsorberAsync(linkId, rowKey, eventId) is { } absorber)
        {
            return await GrainFactory.GetGrain<IJobGrain>(absorber).GetSummaryAsync();
        }

        return await rows.FindPreviousAsync(linkId, rowKey, eventId) is { } previous
            ? await GrainFactory.GetGrain<IJobGrain>(previous).AbsorbAsync(request.Event)
            : null;
    }

    /// <summary>True when the job waits for its row: an earlier job of its link and row has not succeeded or been discarded.</summary>
    private async Task<bool> RowHeldAsync()
    {
        if (!RowOrder.WaitsForRow(state.State))
        {
            return false;
        }

        var blocker = await rows.FindBlockerAsync(state.State.LinkId, state.State.RowKey!, state.State.Event!.Id);
        if (blocker is not null)
        {
            LogWaitingForRow(logger, state.State.JobId, blocker);
        }

        return blocker is not null;
    }

    /// <summary>
    /// Wakes the next job of the row once this one has released it (succeeded or discarded, and written). A wake that
    /// does not arrive is made up by the rescuer, which resumes the waiting job.
    /// </summary>
    private async Task ReleaseRowAsync()
    {
        if (!RowOrder.ReleasesRow(state.State))
        {
            return;
        }

        try
        {
            if (await rows.FindNextAsync(state.State.LinkId, state.State.RowKey!, state.State.Event!.Id) is { } next)
            {
                await GrainFactory.GetGrain<IJobGrain>(next).ResumeAsync();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogWakeFailed(logger, e, state.State.JobId);
        }
    }

    [LoggerMessage(20, LogLevel.Debug, "Job {JobId} waits for job {Blocker}, earlier on its row")]
    private static partial void LogWaitingForRow(ILogger logger, string jobId, string blocker);

    [LoggerMessage(21, LogLevel.Information, "Job {JobId} absorbed event {EventId} of its row ({Count} absorbed)")]
    private static partial void LogAbsorbed(ILogger logger, string jobId, long eventId, int count);

    [LoggerMessage(22, LogLevel.Warning, "Job {JobId} released its row but could not wake the row's next job; the rescuer resumes it")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string jobId);
}

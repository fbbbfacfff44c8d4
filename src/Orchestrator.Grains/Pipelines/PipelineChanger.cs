using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Pipelines.Postgres;

namespace Orchestrator.Grains.Pipelines;

/// <summary>
/// Applies one change of the pipeline graph: checks it whole (the definition's own rules, the inputs' databases, the
/// processes it removes that unfinished jobs still use), then installs its capture (new and changed inputs' triggers,
/// removed inputs' triggers dropped), stores it as the next version and waits a bounded time for every active silo to
/// read it. Nothing is changed when any check fails. Callers apply one change at a time (<see cref="PipelineGrain"/>).
/// </summary>
public sealed partial class PipelineChanger(
    IPipelineGraph graph,
    PipelineStore store,
    PostgresCaptureInstaller installer,
    InputConnections connections,
    UnfinishedJobs unfinished,
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILogger<PipelineChanger> logger)
{
    /// <summary>How long an applied change waits for every active silo to read it before answering.</summary>
    public static readonly TimeSpan LiveWait = TimeSpan.FromSeconds(15);

    private const int CancelPage = 200;

    private static readonly TimeSpan LiveCheck = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ForgetSilosAfter = TimeSpan.FromHours(1);

    /// <summary>Checks <paramref name="next"/> against the current version and, unless it is a dry run, applies it.</summary>
    public async Task<PipelineApplyResult> ApplyAsync(PipelineDefinition next, PipelineApplyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(options);
        var current = await graph.RefreshAsync(cancellationToken);
        if (await CheckAsync(current, next, options, cancellationToken) is { Count: > 0 } errors)
        {
            return PipelineApplyResult.Refused(current.Version, errors);
        }

        var changes = PipelineDiff.Between(current.Definition, next);
        if (changes.Count == 0)
        {
            return new(PipelineApplyOutcome.Unchanged, current.Version, [], [], []);
        }

        if (options.DryRun)
        {
            return new(PipelineApplyOutcome.Valid, current.Version, changes, [], []);
        }

        // Removed inputs, and inputs that moved to another database, leave their old database.
        var removed = changes.Ids(PipelineElement.Input, PipelineChangeKind.Removed);
        var moved = next.Inputs.Where(i => current.FindInput(i.Id) is { } old && connections.Find(old) != connections.Find(i)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        await installer.RemoveAsync([.. current.Definition.Inputs.Where(i => removed.Contains(i.Id) || moved.Contains(i.Id))], cancellationToken);
        await installer.InstallAsync(next, cancellationToken);
        if (await store.AppendAsync(next, current.Version, options.By, fileHash: null, cancellationToken) is not { } version)
        {
            return PipelineApplyResult.Refused(current.Version, [Conflict(current.Version)]);
        }

        LogApplied(logger, version, options.By, string.Join(", ", changes));
        await graph.RefreshAsync(cancellationToken);
        var behind = await WaitUntilLiveAsync(version, cancellationToken);
        var cancelled = options.CancelRemovedLinksJobs
            ? await CancelJobsOfAsync(changes.Ids(PipelineElement.Link, PipelineChangeKind.Removed), options.By, cancellationToken)
            : 0;
        return new(PipelineApplyOutcome.Applied, version, changes, [], behind, cancelled);
    }

    private async Task<int> CancelJobsOfAsync(IReadOnlySet<string> links, string by, CancellationToken cancellationToken)
    {
        var (cancelled, after) = (0, "");
        while (links.Count > 0)
        {
            var page = await unfinished.OfLinksAsync(links, after, CancelPage, cancellationToken);
            var results = await Task.WhenAll(page.Select(id => grains.GetGrain<IJobGrain>(id).CancelAsync(by)));
            cancelled += results.Count(r => r.Accepted);
            if (page.Count < CancelPage)
            {
                break;
            }

            after = page[^1];
        }

        return cancelled;
    }

    private async Task<List<PipelineError>> CheckAsync(PipelineCatalog current, PipelineDefinition next, PipelineApplyOptions options, CancellationToken cancellationToken)
    {
        if (options.ExpectedVersion is { } expected && expected != current.Version)
        {
            return [Conflict(current.Version, expected)];
        }

        var errors = PipelineValidator.Validate(next).ToList();
        if (errors.Count > 0)
        {
            return errors;
        }

        try
        {
            await installer.ValidateAsync(next, cancellationToken);
        }
        catch (InvalidPipelineException e)
        {
            errors.AddRange(e.Errors);
        }

        var gone = current.Definition.Processes.Select(p => p.Id).Except(next.Processes.Select(p => p.Id), StringComparer.Ordinal).ToList();
        if (!options.Force)
        {
            foreach (var (process, count) in await unfinished.CountByProcessAsync(gone, cancellationToken))
            {
                errors.Add(new(PipelineErrorCode.ProcessInUse, "processes",
                    $"process '{process}' is removed but {count} unfinished job{(count == 1 ? " uses" : "s use")} it; wait for them, cancel them, or force the change (they then fail)"));
            }
        }

        return errors;
    }

    private async Task<IReadOnlyList<string>> WaitUntilLiveAsync(long version, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + LiveWait;
        while (true)
        {
            var active = ActiveSilos.Of(membership);
            var reported = await store.SiloVersionsAsync(cancellationToken);
            var behind = active.Where(s => reported.GetValueOrDefault(s) < version).Order(StringComparer.Ordinal).ToList();
            if (behind.Count == 0)
            {
                await store.ForgetSilosAsync(active, ForgetSilosAfter, cancellationToken);
                return behind;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                LogNotLive(logger, version, behind.Count);
                return behind;
            }

            await Task.Delay(LiveCheck, cancellationToken);
        }
    }

    private static PipelineError Conflict(long current, long? expected = null) => new(
        PipelineErrorCode.VersionConflict,
        "version",
        expected is { } asked
            ? $"the change was made against version {asked}, but the current version is {current}; read the graph again and repeat the change"
            : $"another change was stored on top of version {current} meanwhile; read the graph again and repeat the change");

    [LoggerMessage(1, LogLevel.Information, "Pipelines: version {Version} applied by {By}: {Changes}")]
    private static partial void LogApplied(ILogger logger, long version, string by, string changes);

    [LoggerMessage(2, LogLevel.Warning, "Pipelines: version {Version} is stored, but {Count} active silos had not read it after the wait; they read it within their poll period")]
    private static partial void LogNotLive(ILogger logger, long version, int count);
}

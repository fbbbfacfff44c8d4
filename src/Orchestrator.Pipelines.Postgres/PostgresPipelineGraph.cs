using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres;

/// <summary>
/// A silo's view of the stored pipeline graph. It starts from the version the host prepared, and reads a newer one when
/// asked (<see cref="RefreshAsync"/>), when <c>pg_notify</c> announces one, and every
/// <see cref="PipelineGraphOptions.PollPeriod"/> in case a notification was missed; after each newer version it
/// records in the store that this silo runs it, which is how a change learns it is live.
/// </summary>
internal sealed partial class PostgresPipelineGraph(
    PipelineStore store,
    PipelineCatalog initial,
    string silo,
    ILogger<PostgresPipelineGraph> logger) : IPipelineGraph
{
    private readonly Lock _lock = new();
    private volatile PipelineCatalog _current = initial;
    private Task _last = Task.CompletedTask;
    private Task<PipelineCatalog>? _queued;

    /// <inheritdoc />
    public PipelineCatalog Current => _current;

    /// <summary>The silo this graph belongs to, as it reports itself in the store.</summary>
    public string Silo => silo;

    /// <inheritdoc />
    /// <remarks>
    /// A failed read (the database unreachable, a stored version this silo cannot read) fails every caller that shares
    /// it; the current version stays as it was.
    /// </remarks>
    /// <remarks>
    /// The read a caller gets always starts after its call (a read already under way may predate a version the caller
    /// knows exists), and callers that arrive while one waits to start share it.
    /// </remarks>
    public Task<PipelineCatalog> RefreshAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_queued is null)
            {
                _queued = AfterAsync(_last);
                _last = _queued;
            }

            return _queued;
        }
    }

    /// <summary>Records the version this silo starts with.</summary>
    public Task ReportAsync(CancellationToken cancellationToken) => store.ReportAsync(silo, _current.Version, cancellationToken);

    private async Task<PipelineCatalog> AfterAsync(Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        lock (_lock)
        {
            _queued = null;
        }

        if (await store.CurrentVersionAsync() > _current.Version && await store.ReadCurrentAsync() is { } stored && stored.Version > _current.Version)
        {
            var was = _current.Version;
            _current = new PipelineCatalog(stored.Definition, stored.Version);
            LogVersion(logger, stored.Version, was, stored.AppliedBy);
            await store.ReportAsync(silo, stored.Version);
        }

        return _current;
    }

    [LoggerMessage(1, LogLevel.Information, "Pipelines: running version {Version} (was {Previous}), applied by {AppliedBy}")]
    private static partial void LogVersion(ILogger logger, long version, long previous, string appliedBy);
}

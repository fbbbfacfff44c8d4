using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Grains;
using Orleans.Concurrency;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>Starts and reports backfills on whichever silo the caller reaches; the silos' runners copy the pages.</summary>
[StatelessWorker]
internal sealed class BackfillGrain(BackfillService backfills) : Grain, IBackfillGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<BackfillProgress>> StartAsync(BackfillRequest request) => backfills.StartAsync(request, CancellationToken.None);

    /// <inheritdoc />
    public Task<BackfillProgress?> GetAsync(string id) => backfills.FindAsync(id, CancellationToken.None);

    /// <inheritdoc />
    public Task<IReadOnlyList<BackfillProgress>> ListAsync() => backfills.ListAsync(CancellationToken.None);
}

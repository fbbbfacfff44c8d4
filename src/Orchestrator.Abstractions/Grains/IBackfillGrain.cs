using Orchestrator.Abstractions.Backfills;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// Starts and reports backfills. A stateless worker (use any key, e.g. 0): backfills live in their database's
/// <c>orchestrator.backfills</c>, and every silo's runner copies their pages, so none depends on an activation.
/// </summary>
public interface IBackfillGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Checks <paramref name="request"/> and starts one backfill per table; throws <see cref="BackfillRefusedException"/>
    /// (nothing created) for an unknown input, table, link or column, a table without a primary key or a bad filter.
    /// </summary>
    Task<IReadOnlyList<BackfillProgress>> StartAsync(BackfillRequest request);

    /// <summary>The backfill with this id, or null.</summary>
    Task<BackfillProgress?> GetAsync(string id);

    /// <summary>Every backfill, newest first.</summary>
    Task<IReadOnlyList<BackfillProgress>> ListAsync();
}

using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// A silo's backfills: starts them (checked, then created in their input's database) and finds them in every
/// input's database; wakes the silo's runner when one starts.
/// </summary>
internal sealed class BackfillService(IPipelineGraph graph, BackfillPlanner planner, BackfillDatabases databases) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>The stores of every input's database.</summary>
    public IEnumerable<BackfillStore> Stores =>
        graph.Current.Definition.Inputs.Select(planner.ConnectionStringOf).Distinct(StringComparer.Ordinal).Select(databases.For);

    public async Task<IReadOnlyList<BackfillProgress>> StartAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        var plans = await planner.PlanAsync(request, cancellationToken);
        var created = await databases.For(plans[0].ConnectionString).CreateAsync(plans, cancellationToken);
        _wake.Release();
        return created;
    }

    public async Task<BackfillProgress?> FindAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var store in Stores)
        {
            if (await store.FindAsync(id, cancellationToken) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<BackfillProgress>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<BackfillProgress>();
        foreach (var store in Stores)
        {
            all.AddRange(await store.ListAsync(cancellationToken));
        }

        return all.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Waits until a backfill starts on this silo or <paramref name="timeout"/> passes.</summary>
    public Task WaitForStartAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _wake.Dispose();
}

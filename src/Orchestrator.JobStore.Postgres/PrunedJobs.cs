namespace Orchestrator.JobStore.Postgres;

/// <summary>What one retention sweep removed.</summary>
/// <param name="Succeeded">Succeeded job records deleted.</param>
/// <param name="Failed">Failed job records deleted.</param>
/// <param name="Discarded">Discarded job records deleted.</param>
/// <param name="Statements">Delete statements run (each its own transaction).</param>
public sealed record PrunedJobs(long Succeeded, long Failed, long Discarded, int Statements)
{
    /// <summary>Every record deleted.</summary>
    public long Total => Succeeded + Failed + Discarded;
}

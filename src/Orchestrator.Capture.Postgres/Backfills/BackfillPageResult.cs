namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>What copying one page did.</summary>
/// <param name="Id">The backfill.</param>
/// <param name="Copied">How many rows the page copied.</param>
/// <param name="More">Whether the page was full, so another may follow at once.</param>
/// <param name="Failure">Why the backfill failed, when it did.</param>
internal sealed record BackfillPageResult(string Id, int Copied, bool More, string? Failure);

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>How a silo starts and runs backfills.</summary>
public sealed class BackfillOptions
{
    /// <summary>The database of the inputs that name none. A secret: never logged.</summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>The capture stream provider's queue count: a read event goes to the queue its row's changes use.</summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>Rows copied per page (one transaction), unless a request names its own.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// A backfill waits while this many read events of its input are still in the event log, so a large table
    /// never floods the log ahead of the live changes.
    /// </summary>
    public int MaxPendingEvents { get; set; } = 10_000;

    /// <summary>How often an idle runner looks for work it was not told about (another silo's start, a crash).</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

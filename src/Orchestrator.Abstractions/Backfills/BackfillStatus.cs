namespace Orchestrator.Abstractions.Backfills;

/// <summary>Where a backfill is.</summary>
[GenerateSerializer]
[Alias("orchestrator.backfill-status")]
public enum BackfillStatus
{
    /// <summary>Pages are still being copied (after a crash, a silo picks it up again).</summary>
    Running = 0,

    /// <summary>Every matching row was copied.</summary>
    Done = 1,

    /// <summary>A page failed for a reason retrying cannot fix (e.g. the table was dropped); see the error.</summary>
    Failed = 2,
}

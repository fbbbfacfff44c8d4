namespace Orchestrator.Abstractions.Jobs;

/// <summary>Where a replay stands.</summary>
public enum ReplayStatus
{
    /// <summary>Jobs are still being replayed; a silo that dies leaves the rest to the next one.</summary>
    Running,

    /// <summary>Every selected job was replayed or skipped.</summary>
    Done,
}

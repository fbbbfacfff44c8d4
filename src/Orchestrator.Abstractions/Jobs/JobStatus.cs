namespace Orchestrator.Abstractions.Jobs;

/// <summary>Where a job is in its life. Terminal states are <see cref="Succeeded"/>, <see cref="Failed"/> and <see cref="Discarded"/>.</summary>
[GenerateSerializer]
[Alias("orchestrator.job-status")]
public enum JobStatus
{
    /// <summary>The job was recorded for its event; nothing has run yet.</summary>
    Acknowledged = 0,

    /// <summary>The job waits for a free slot of its process.</summary>
    Awaiting = 1,

    /// <summary>An attempt is running.</summary>
    Executing = 2,

    /// <summary>The last attempt succeeded.</summary>
    Succeeded = 3,

    /// <summary>The last attempt failed.</summary>
    Failed = 4,

    /// <summary>The job was given up without success.</summary>
    Discarded = 5,
}

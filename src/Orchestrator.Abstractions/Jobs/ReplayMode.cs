namespace Orchestrator.Abstractions.Jobs;

/// <summary>How a replay re-runs a finished job. Neither rewrites the job's history.</summary>
public enum ReplayMode
{
    /// <summary>A new attempt of the same job (a failed or discarded one), appended to its record.</summary>
    NewAttempts,

    /// <summary>A new job for the same event, marked <see cref="JobState.ReplayOf"/> the original, which stays as it is.</summary>
    NewJobs,
}

namespace Orchestrator.Abstractions.Jobs;

/// <summary>What a <see cref="JobStatus"/> says about its job.</summary>
public static class JobStatuses
{
    /// <summary>True for statuses a job leaves only on a manual retry.</summary>
    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Discarded;
}

using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Processes;

/// <summary>One attempt of a job, to run as a container.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="LinkId">The link that made the job.</param>
/// <param name="ProcessId">The process.</param>
/// <param name="Process">The process's definition: image, argv, environment, working directory.</param>
/// <param name="EventJson">The event document the container receives (file, and environment when small).</param>
public sealed record ContainerRunRequest(
    string JobId,
    int Attempt,
    string LinkId,
    string ProcessId,
    ContainerProcessDefinition Process,
    string EventJson)
{
    /// <summary>
    /// When the attempt runs out of time (its start plus the process's timeout); null for no limit. At the deadline
    /// the container is stopped (SIGTERM, then SIGKILL after <see cref="StopGrace"/>) and the run ends
    /// <see cref="ContainerRunOutcome.TimedOut"/>. Absolute, so an adopted container keeps its original deadline.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>How long a stopped container may take to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);
}

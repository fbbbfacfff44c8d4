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
    string EventJson);

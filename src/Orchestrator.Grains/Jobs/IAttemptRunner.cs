using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Jobs;

/// <summary>Runs one attempt of a job on its process and reports what came out. Never throws for a failed run.</summary>
public interface IAttemptRunner
{
    /// <summary>Runs the attempt that <paramref name="job"/>'s last run entry describes.</summary>
    Task<AttemptOutcome> RunAsync(JobState job, ContainerProcessDefinition process, CancellationToken cancellationToken);
}

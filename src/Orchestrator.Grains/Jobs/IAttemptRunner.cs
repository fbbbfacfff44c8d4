using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Jobs;

/// <summary>Runs one attempt of a job on its process and reports what came out. Never throws for a failed run.</summary>
public interface IAttemptRunner
{
    /// <summary>
    /// Runs the attempt that <paramref name="job"/>'s last run entry describes. With <paramref name="adopt"/> the
    /// attempt was started by an earlier activation: its process is looked for and waited for, not started again.
    /// Cancellation stops the waiting, not the process.
    /// </summary>
    Task<AttemptOutcome> RunAsync(JobState job, ContainerProcessDefinition process, bool adopt, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the running attempt of <paramref name="job"/> (SIGTERM, then SIGKILL after the process's grace); the
    /// pending <see cref="RunAsync"/> then returns. False when nothing of the attempt runs.
    /// </summary>
    Task<bool> StopAsync(JobState job, ContainerProcessDefinition process, CancellationToken cancellationToken);

    /// <summary>Cleans up after the last attempt of <paramref name="job"/> once its result is recorded (removes its container).</summary>
    Task CleanUpAsync(JobState job, CancellationToken cancellationToken);
}

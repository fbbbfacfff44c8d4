namespace Orchestrator.Processes;

/// <summary>
/// Runs containers. Run failures are results, not exceptions; only cancellation and bad arguments throw.
/// A container belongs to one attempt of one job (its labels and name say which), and an attempt never has two.
/// </summary>
public interface IContainerRunner
{
    /// <summary>
    /// Runs <paramref name="request"/> to completion and returns what it produced. The exited container is kept
    /// (for adoption, should the caller crash before recording the result) until <see cref="RemoveAsync"/>. When the attempt already has a
    /// container (a previous silo created it), that container is waited for instead of a second one being created.
    /// When <paramref name="cancellationToken"/> fires the runner stops waiting and throws
    /// <see cref="OperationCanceledException"/>; a started container keeps running, so a later
    /// <see cref="ResumeAsync"/> can adopt it (a container created but not started is removed).
    /// </summary>
    Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Adopts the container of the attempt <paramref name="request"/> names, found by its labels: waits for it when
    /// it runs, or collects its exit code and logs when it has exited. Returns a
    /// <see cref="ContainerRunOutcome.Vanished"/> result when the attempt has no container. Cancellation behaves as
    /// in <see cref="RunAsync"/>.
    /// </summary>
    Task<ContainerRunResult> ResumeAsync(ContainerRunRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the container of attempt <paramref name="attempt"/> of <paramref name="jobId"/>: SIGTERM, then SIGKILL
    /// after <paramref name="grace"/>. The run waiting for it then returns with the exit code the stop produced.
    /// Returns false when the attempt has no running container.
    /// </summary>
    /// <exception cref="ContainerEngineUnavailableException">The engine could not be reached.</exception>
    Task<bool> StopAsync(string jobId, int attempt, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>
    /// Removes (killing it if it runs) every container of attempt <paramref name="attempt"/> of
    /// <paramref name="jobId"/>: call it once the attempt's result is recorded. Best effort: failures are logged.
    /// </summary>
    Task RemoveAsync(string jobId, int attempt, CancellationToken cancellationToken);

    /// <summary>
    /// The jobs of this deployment that have a container that is not running (exited, created, dead): what a silo
    /// that died between recording an attempt and removing its container left behind.
    /// </summary>
    /// <exception cref="ContainerEngineUnavailableException">The engine could not be reached.</exception>
    Task<IReadOnlyList<string>> JobsWithStoppedContainersAsync(CancellationToken cancellationToken);
}

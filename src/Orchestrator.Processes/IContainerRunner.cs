namespace Orchestrator.Processes;

/// <summary>Runs containers. Run failures are results, not exceptions; only cancellation and bad arguments throw.</summary>
public interface IContainerRunner
{
    /// <summary>
    /// Runs <paramref name="request"/> to completion and returns what it produced. When
    /// <paramref name="cancellationToken"/> fires, the container is killed and removed and
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken);
}

namespace Orchestrator.Processes;

/// <summary>The Docker engine could not be reached (no socket, connection refused, no answer in time).</summary>
public sealed class ContainerEngineUnavailableException : Exception
{
    /// <summary>Creates the error for <paramref name="endpoint"/>, keeping the transport's error as the cause.</summary>
    public ContainerEngineUnavailableException(Uri endpoint, Exception innerException)
        : base($"The Docker engine at {endpoint} is unreachable: {innerException?.Message}", innerException)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
    }

    /// <summary>The endpoint that did not answer.</summary>
    public Uri Endpoint { get; }
}

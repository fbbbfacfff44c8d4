namespace Orchestrator.Processes;

/// <summary>How the container process kind reaches the Docker engine and what it keeps of a run.</summary>
public sealed class ContainerEngineOptions
{
    /// <summary>The engine's endpoint; null uses DOCKER_HOST, then the local unix socket.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Events up to this size (UTF-8 bytes) are also passed in ORCHESTRATOR_EVENT.</summary>
    public int EventEnvironmentLimitBytes { get; set; } = 32 * 1024;

    /// <summary>How many bytes of the end of stdout, and of stderr, a run keeps.</summary>
    public int LogTailBytes { get; set; } = 64 * 1024;

    /// <summary>Where the event document is copied inside the container.</summary>
    public string EventFilePath { get; set; } = "/orchestrator/event.json";

    /// <summary>The endpoint to use: <see cref="Endpoint"/>, else DOCKER_HOST, else the local unix socket.</summary>
    public Uri ResolveEndpoint() =>
        Endpoint
        ?? (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : new Uri("unix:///var/run/docker.sock"));
}

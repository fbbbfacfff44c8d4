namespace Orchestrator.Processes;

/// <summary>How the container process kind reaches the Docker engine and what it keeps of a run.</summary>
public sealed class ContainerEngineOptions
{
    /// <summary>The socket every Docker engine on Linux listens on by default.</summary>
    public static readonly Uri DefaultEndpoint = new("unix:///var/run/docker.sock");

    /// <summary>The engine's endpoint; null uses DOCKER_HOST when it is set, else <see cref="DefaultEndpoint"/>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Events up to this many UTF-8 bytes are also passed in ORCHESTRATOR_EVENT; larger ones only as a file.</summary>
    public int EventEnvironmentLimitBytes { get; set; } = 32 * 1024;

    /// <summary>How many bytes of the end of stdout, and separately of stderr, a run keeps.</summary>
    public int LogTailBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The deployment the containers belong to (the host sets its service id and database). Container names and
    /// the <c>orchestrator.scope</c> label include it, so deployments sharing an engine never adopt, stop or
    /// remove each other's containers, even when their job ids are equal.
    /// </summary>
    public string Scope { get; set; } = "default";

    /// <summary>The absolute path inside the container where the event document is copied before start.</summary>
    public string EventFilePath { get; set; } = "/orchestrator/event.json";

    /// <summary>The endpoint to use: <see cref="Endpoint"/>, else DOCKER_HOST, else <see cref="DefaultEndpoint"/>.</summary>
    public Uri ResolveEndpoint() =>
        Endpoint
        ?? (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : DefaultEndpoint);
}

using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>
/// The one Docker client of this process, for the configured endpoint. No API version is pinned: the engine
/// serves its own, so older engines (API 1.41) and engines that refuse old versions (Docker 29+) both work.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private readonly Lazy<DockerClient> _client;

    /// <summary>Creates the engine handle; the client is built on first use.</summary>
    public DockerEngine(IOptions<ContainerEngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Endpoint = options.Value.ResolveEndpoint();
        _client = new Lazy<DockerClient>(() => new DockerClientBuilder().WithEndpoint(Endpoint).Build());
    }

    /// <summary>The endpoint the client talks to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The client.</summary>
    public DockerClient Client => _client.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}

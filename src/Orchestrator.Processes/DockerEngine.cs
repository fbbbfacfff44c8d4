using System.Net.Sockets;
using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>
/// The one Docker client of this process, for the configured endpoint. No API version is pinned: requests are
/// unversioned and the engine serves its own, so both Debian's 20.10 (API 1.41) and Docker 29+ (which refuses
/// 1.41) work.
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

    /// <summary>The shared client.</summary>
    public DockerClient Client => _client.Value;

    /// <summary>Pings the engine; throws <see cref="ContainerEngineUnavailableException"/> when it does not answer.</summary>
    public async Task EnsureAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.System.PingAsync(cancellationToken);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            throw new ContainerEngineUnavailableException(Endpoint, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary>
    /// True when <paramref name="exception"/> says the engine was not reached or stopped answering, as opposed to an
    /// answer with an error status or the caller's own cancellation.
    /// </summary>
    internal static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or SocketException or IOException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}

using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>
/// A unix socket that forwards to the Docker engine's socket and can be switched off and on: a process pointed at
/// it with <c>DOCKER_HOST</c> sees the engine go away (connections refused, open ones cut) and come back, while
/// the real engine keeps serving every other test.
/// </summary>
public sealed class EngineSwitch : IAsyncDisposable
{
    private const string EngineSocket = "/var/run/docker.sock";
    private readonly List<Socket> _open = [];
    private Socket? _listener;
    private Task? _accepting;

    /// <summary>Creates the switch, on.</summary>
    public EngineSwitch()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"engine-{Guid.NewGuid():N}.sock");
        On();
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>The value for <c>DOCKER_HOST</c>.</summary>
    public string DockerHost => "unix://" + Path;

    /// <summary>Starts forwarding: new connections reach the engine.</summary>
    public void On()
    {
        if (_listener is not null)
        {
            return;
        }

        File.Delete(Path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path));
        listener.Listen(64);
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    /// <summary>Stops forwarding: open connections are cut and new ones refused, as when the engine stops.</summary>
    public async Task OffAsync()
    {
        if (_listener is not { } listener)
        {
            return;
        }

        _listener = null;
        listener.Dispose();
        await _accepting!;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await OffAsync();
        File.Delete(Path);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(EngineSocket));
            }
            catch (SocketException)
            {
                client.Dispose();
                engine.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(client);
                _open.Add(engine);
            }

            _ = PumpAsync(client, engine);
            _ = PumpAsync(engine, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            from.Dispose();
            to.Dispose();
        }
    }
}

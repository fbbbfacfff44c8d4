using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>Finds the built host and CLI and runs them as separate processes.</summary>
internal static class Programs
{
    private static readonly string Root = FindRoot();

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string HostDll => Built("Orchestrator.Host", "Orchestrator.Host.dll");

    public static string CliDll => Built("Orchestrator.Cli", "orchestrator.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the CLI to completion and returns its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Output, string Error)> CliAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ORCHESTRATOR_CONNECTION_STRING"] = connectionString;
        using var cli = Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await cli.WaitForExitAsync(deadline.Token);
        return (cli.ExitCode, await output, await error);
    }

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({Configuration}) first: {path} is missing.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A silo host running as its own process, its output collected for assertions and failure messages.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static HostProcess Start(string connectionString, string pipelinesFile, string clusterId) =>
        Start(connectionString, pipelinesFile, clusterId, Programs.FreePort(), Programs.FreePort());

    /// <summary>
    /// Starts a host on the given silo and gateway ports (a restart on the same ports supersedes a killed silo at
    /// once), with more configuration in <paramref name="settings"/> (<c>--Section:Key=value</c> arguments).
    /// </summary>
    public static HostProcess Start(string connectionString, string pipelinesFile, string clusterId, int siloPort, int gatewayPort, params string[] settings) =>
        Start(connectionString, pipelinesFile, clusterId, siloPort, gatewayPort, new Dictionary<string, string>(), settings);

    /// <summary>Starts a host as above, with <paramref name="environment"/> added to its environment variables.</summary>
    public static HostProcess Start(
        string connectionString, string pipelinesFile, string clusterId, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        var http = Programs.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in new[]
        {
            Programs.HostDll,
            "--urls", $"http://127.0.0.1:{http}",
            $"--Orchestrator:ConnectionString={connectionString}",
            $"--Orchestrator:PipelinesFile={pipelinesFile}",
            $"--Orchestrator:ClusterId={clusterId}",
            $"--Orchestrator:SiloPort={siloPort}",
            $"--Orchestrator:GatewayPort={gatewayPort}",
        }.Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        return new HostProcess(Process.Start(start)!, http);
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process (SIGKILL) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

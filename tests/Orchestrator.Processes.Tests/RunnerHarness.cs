using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Processes.Tests;

/// <summary>
/// The runner as the host registers it, against the real engine. Every job id starts with a prefix unique to the
/// harness, so the containers a test leaves are found by label and removed when it ends.
/// </summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);
    private readonly List<ServiceProvider> _services = [];
    private int _jobs;
    private bool _disposed;

    public RunnerHarness(Action<ContainerEngineOptions>? configure = null)
    {
        Runner = NewRunner(configure);
        Engine = _services[0].GetRequiredService<DockerEngine>();
    }

    public string Prefix { get; } = "test-" + Guid.NewGuid().ToString("N")[..10];

    public IContainerRunner Runner { get; }

    public DockerEngine Engine { get; }

    /// <summary>
    /// Another runner with its own engine client, as another silo (or this one after a restart) would have: it
    /// shares nothing with <see cref="Runner"/> but the engine.
    /// </summary>
    public IContainerRunner NewRunner(Action<ContainerEngineOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging().AddContainerProcesses(configure).BuildServiceProvider();
        _services.Add(services);
        return services.GetRequiredService<IContainerRunner>();
    }

    /// <summary>A job id no other test uses.</summary>
    public string NextJobId() => $"{Prefix}-{Interlocked.Increment(ref _jobs)}";

    /// <summary>A request for the test image (or <paramref name="image"/>) running <paramref name="command"/>.</summary>
    public ContainerRunRequest Request(
        IReadOnlyList<string> command,
        string eventJson = "{}",
        bool removeContainers = true,
        string? image = null,
        IReadOnlyDictionary<string, string>? environment = null,
        int attempt = 1,
        ContainerLogsDefinition? logs = null) =>
        new(
            NextJobId(),
            attempt,
            "link-" + Prefix,
            "process-" + Prefix,
            new ContainerProcessDefinition
            {
                Id = "process-" + Prefix,
                Image = image ?? TestEnvironment.TestImage,
                Command = command,
                RemoveContainers = removeContainers,
                Environment = environment ?? new Dictionary<string, string>(),
                Logs = logs ?? ContainerLogsDefinition.Default,
            },
            eventJson);

    /// <summary>Runs <paramref name="request"/> with a two-minute deadline.</summary>
    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        return await Runner.RunAsync(request, timeout.Token);
    }

    /// <summary>Resumes <paramref name="request"/> with a two-minute deadline, on <paramref name="runner"/> or <see cref="Runner"/>.</summary>
    public async Task<ContainerRunResult> ResumeAsync(ContainerRunRequest request, IContainerRunner? runner = null)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        return await (runner ?? Runner).ResumeAsync(request, timeout.Token);
    }

    /// <summary>
    /// Starts <paramref name="request"/> and cancels the run once its container runs, as a silo that stops would:
    /// the run throws and the container keeps running. Returns the container's id.
    /// </summary>
    public async Task<string> RunAndDetachAsync(ContainerRunRequest request)
    {
        using var cancel = new CancellationTokenSource(CallTimeout);
        var run = Runner.RunAsync(request, cancel.Token);
        var id = await RunningContainerAsync(request.JobId);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        return id;
    }

    /// <summary>Waits until a container of <paramref name="jobId"/> runs, and returns its id.</summary>
    public async Task<string> RunningContainerAsync(string jobId)
    {
        var containers = await Eventually.WaitAsync(
            () => ContainersOfJobAsync(jobId),
            found => found.Any(c => c.State == "running"),
            $"a container of job {jobId} to be running");
        return containers.First(c => c.State == "running").ID;
    }

    /// <summary>Waits until a running container of <paramref name="jobId"/> has printed <paramref name="marker"/>.</summary>
    public static async Task PrintedAsync(string jobId, string marker)
    {
        using var probe = new EngineProbe();
        await probe.PrintedAsync(jobId, marker);
    }

    /// <summary>The state of container <paramref name="id"/> ("running", "exited", …), or null when it does not exist.</summary>
    public async Task<string?> StateOfAsync(string id)
    {
        var all = await Engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [id] = true } },
        });
        return all.SingleOrDefault()?.State;
    }

    /// <summary>Force-removes container <paramref name="id"/>.</summary>
    public Task RemoveAsync(string id) =>
        Engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });

    /// <summary>The run's container is kept, exited, after the run (for adoption) until the runner removes it.</summary>
    public async Task AssertKeptUntilRemovedAsync(ContainerRunRequest request)
    {
        var kept = Assert.Single(await ContainersOfJobAsync(request.JobId));
        Assert.Equal("exited", kept.State);
        await Runner.RemoveAsync(request.JobId, request.Attempt, CancellationToken.None);
        Assert.Empty(await ContainersOfJobAsync(request.JobId));
    }

    /// <summary>
    /// The bytes the engine keeps on its disk as container <paramref name="id"/>'s log, rotated files included: the
    /// files next to its LogPath (json-file), or its <c>local-logs</c> folder under the engine's root (local). The
    /// tests run on the engine's host, as root.
    /// </summary>
    public async Task<long> EngineLogBytesAsync(string id)
    {
        var container = await Engine.Client.Containers.InspectContainerAsync(id);
        var files = container.HostConfig!.LogConfig!.Type switch
        {
            ContainerLogsDefinition.JsonFile => new DirectoryInfo(Path.GetDirectoryName(container.LogPath)!).GetFiles(Path.GetFileName(container.LogPath) + "*"),
            ContainerLogsDefinition.Local => new DirectoryInfo(Path.Combine((await Engine.Client.System.GetSystemInfoAsync()).DockerRootDir, "containers", container.ID, "local-logs")).GetFiles(),
            var other => throw new InvalidOperationException($"container {id} logs through '{other}', which keeps no files the test can measure"),
        };
        return files.Sum(file => file.Length);
    }

    /// <summary>The containers (running or not) labelled with <paramref name="jobId"/>.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfJobAsync(string jobId) =>
        await Engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.JobId}={jobId}"] = true },
            },
        });

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var managed = await Engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Managed}=true"] = true },
            },
        });
        foreach (var container in managed.Where(c => c.Labels.TryGetValue(ContainerLabels.JobId, out var job) && job.StartsWith(Prefix + "-", StringComparison.Ordinal)))
        {
            await Engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }

        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }
    }
}

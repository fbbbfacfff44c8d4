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
    private readonly ServiceProvider _services;
    private int _jobs;

    public RunnerHarness(Action<ContainerEngineOptions>? configure = null)
    {
        _services = new ServiceCollection().AddLogging().AddContainerProcesses(configure).BuildServiceProvider();
        Runner = _services.GetRequiredService<IContainerRunner>();
        Engine = _services.GetRequiredService<DockerEngine>();
    }

    public string Prefix { get; } = "test-" + Guid.NewGuid().ToString("N")[..10];

    public IContainerRunner Runner { get; }

    public DockerEngine Engine { get; }

    /// <summary>A job id no other test uses.</summary>
    public string NextJobId() => $"{Prefix}-{Interlocked.Increment(ref _jobs)}";

    /// <summary>A request for the test image (or <paramref name="image"/>) running <paramref name="command"/>.</summary>
    public ContainerRunRequest Request(
        IReadOnlyList<string> command,
        string eventJson = "{}",
        bool removeContainers = true,
        string? image = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(
            NextJobId(),
            1,
            "link-" + Prefix,
            "process-" + Prefix,
            new ContainerProcessDefinition
            {
                Id = "process-" + Prefix,
                Image = image ?? TestEnvironment.TestImage,
                Command = command,
                RemoveContainers = removeContainers,
                Environment = environment ?? new Dictionary<string, string>(),
            },
            eventJson);

    /// <summary>Runs <paramref name="request"/> with a two-minute deadline.</summary>
    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Runner.RunAsync(request, timeout.Token);
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

        await _services.DisposeAsync();
    }
}

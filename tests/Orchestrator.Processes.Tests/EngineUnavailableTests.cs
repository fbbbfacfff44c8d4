using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Processes.Tests;

/// <summary>An engine that is not there: a clear error naming the endpoint, never a hang or a crash.</summary>
public sealed class EngineUnavailableTests : IDisposable
{
    private readonly Uri _endpoint = new($"unix:///tmp/orchestrator-no-engine-{Guid.NewGuid():N}.sock");
    private readonly ServiceProvider _services;

    public EngineUnavailableTests() =>
        _services = new ServiceCollection().AddLogging().AddContainerProcesses(o => o.Endpoint = _endpoint).BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_run_against_an_unreachable_engine_fails_with_the_endpoint_in_the_error()
    {
        var process = new ContainerProcessDefinition { Id = "p", Image = "busybox:1", Command = ["true"] };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var result = await _services.GetRequiredService<IContainerRunner>()
            .RunAsync(new ContainerRunRequest("job", 1, "link", "p", process, "{}"), timeout.Token);

        Assert.Equal(ContainerRunOutcome.EngineUnavailable, result.Outcome);
        Assert.Null(result.ContainerId);
        Assert.Contains($"The Docker engine at {_endpoint} is unreachable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checking_an_unreachable_engine_throws_a_typed_error_naming_the_endpoint()
    {
        var engine = _services.GetRequiredService<DockerEngine>();

        var error = await Assert.ThrowsAsync<ContainerEngineUnavailableException>(() => engine.EnsureAvailableAsync(CancellationToken.None));

        Assert.Equal(_endpoint, error.Endpoint);
        Assert.Contains(_endpoint.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_engine_is_available()
    {
        using var services = new ServiceCollection().AddLogging().AddContainerProcesses().BuildServiceProvider();

        await services.GetRequiredService<DockerEngine>().EnsureAvailableAsync(CancellationToken.None);
    }
}

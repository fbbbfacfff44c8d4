using Docker.DotNet.Models;
using Orchestrator.Testing;

namespace Orchestrator.Processes.Tests;

/// <summary>What happens to the container itself: labels, removal, start failures, cancellation.</summary>
public sealed class ContainerLifecycleTests : IAsyncDisposable
{
    private readonly RunnerHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_kept_container_carries_the_job_labels()
    {
        var request = _harness.Request(["true"], removeContainers: false);

        var result = await _harness.RunAsync(request);

        var container = await _harness.Engine.Client.Containers.InspectContainerAsync(result.ContainerId!);
        Assert.Equal("exited", container.State!.Status);
        var labels = container.Config!.Labels!;
        Assert.Equal("true", labels[ContainerLabels.Managed]);
        Assert.Equal(request.JobId, labels[ContainerLabels.JobId]);
        Assert.Equal("1", labels[ContainerLabels.Attempt]);
        Assert.Equal(request.LinkId, labels[ContainerLabels.LinkId]);
        Assert.Equal(request.ProcessId, labels[ContainerLabels.ProcessId]);
        Assert.Single(await _harness.ContainersOfJobAsync(request.JobId));
        await _harness.Engine.Client.Containers.RemoveContainerAsync(result.ContainerId!, new ContainerRemoveParameters { Force = true });
    }

    [Fact]
    public async Task A_container_is_removed_after_the_run_when_the_process_asks_for_it()
    {
        var request = _harness.Request(["sh", "-c", "echo done"], removeContainers: true);

        var result = await _harness.RunAsync(request);

        Assert.Equal("done\n", result.StdoutTail);
        Assert.NotNull(result.ContainerId);
        Assert.Empty(await _harness.ContainersOfJobAsync(request.JobId));
    }

    [Fact]
    public async Task A_missing_executable_fails_the_start_and_the_container_is_removed()
    {
        var request = _harness.Request(["/no/such/binary", "arg"]);

        var result = await _harness.RunAsync(request);

        Assert.Equal(ContainerRunOutcome.StartFailed, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.StartsWith("starting the container failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("/no/such/binary", result.Error, StringComparison.Ordinal);
        Assert.Empty(await _harness.ContainersOfJobAsync(request.JobId));
    }

    [Fact]
    public async Task Cancelling_a_run_kills_and_removes_its_container()
    {
        var request = _harness.Request(["sleep", "600"]);
        using var cancel = new CancellationTokenSource();

        var run = _harness.Runner.RunAsync(request, cancel.Token);
        await Eventually.UntilAsync(
            async () => (await _harness.ContainersOfJobAsync(request.JobId)).Any(c => c.State == "running"),
            "the container to be running");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(await _harness.ContainersOfJobAsync(request.JobId));
    }
}

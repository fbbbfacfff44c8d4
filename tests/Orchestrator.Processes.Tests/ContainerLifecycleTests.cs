using Docker.DotNet.Models;
using Orchestrator.Testing;

namespace Orchestrator.Processes.Tests;

/// <summary>What happens to the container itself: labels and name, removal, start failures, cancellation.</summary>
public sealed class ContainerLifecycleTests : RunnerTests
{
    [Fact]
    public async Task A_kept_container_carries_the_job_labels()
    {
        var request = Harness.Request(["true"], removeContainers: false);

        var result = await Harness.RunAsync(request);

        var container = await Harness.Engine.Client.Containers.InspectContainerAsync(result.ContainerId!);
        Assert.Equal("exited", container.State!.Status);
        var labels = container.Config!.Labels!;
        Assert.Equal("true", labels[ContainerLabels.Managed]);
        Assert.Equal(request.JobId, labels[ContainerLabels.JobId]);
        Assert.Equal("1", labels[ContainerLabels.Attempt]);
        Assert.Equal(request.LinkId, labels[ContainerLabels.LinkId]);
        Assert.Equal(request.ProcessId, labels[ContainerLabels.ProcessId]);
        Assert.Equal("/" + ContainerNames.For("default", request.JobId, 1), container.Name);
        Assert.Single(await Harness.ContainersOfJobAsync(request.JobId));
        await Harness.Engine.Client.Containers.RemoveContainerAsync(result.ContainerId!, new ContainerRemoveParameters { Force = true });
    }

    [Fact]
    public async Task An_exited_container_is_kept_until_its_job_has_it_removed()
    {
        var request = Harness.Request(["sh", "-c", "echo done"], removeContainers: true);

        var result = await Harness.RunAsync(request);

        Assert.Equal("done\n", result.StdoutTail);
        Assert.NotNull(result.ContainerId);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task A_missing_executable_fails_the_start_and_the_container_is_removed()
    {
        var request = Harness.Request(["/no/such/binary", "arg"]);

        var result = await Harness.RunAsync(request);

        Assert.Equal(ContainerRunOutcome.StartFailed, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.StartsWith("starting the container failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("/no/such/binary", result.Error, StringComparison.Ordinal);
        Assert.Empty(await Harness.ContainersOfJobAsync(request.JobId));
    }

    [Fact]
    public async Task Cancelling_a_run_after_the_start_leaves_its_container_running()
    {
        var request = Harness.Request(["sleep", "600"]);

        var id = await Harness.RunAndDetachAsync(request);

        var container = await Harness.Engine.Client.Containers.InspectContainerAsync(id);
        Assert.True(container.State!.Running);
        Assert.Single(await Harness.ContainersOfJobAsync(request.JobId));
    }
}

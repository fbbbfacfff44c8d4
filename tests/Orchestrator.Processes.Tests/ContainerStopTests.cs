namespace Orchestrator.Processes.Tests;

/// <summary>Stopping an attempt's container from outside the run that waits on it.</summary>
public sealed class ContainerStopTests : RunnerTests
{
    [Fact]
    public async Task Stopping_a_running_attempt_ends_its_run_with_the_exit_code_of_the_stop()
    {
        var request = Harness.Request(["sh", "-c", "trap 'echo bye; exit 143' TERM; echo up; while true; do sleep 0.2; done"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = Harness.Runner.RunAsync(request, timeout.Token);
        await RunnerHarness.PrintedAsync(request.JobId, "up");

        var stopped = await Harness.Runner.StopAsync(request.JobId, request.Attempt, TimeSpan.FromSeconds(30), timeout.Token);
        var result = await run;

        Assert.True(stopped);
        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(143, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal("up\nbye\n", result.StdoutTail);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task Stopping_a_container_that_ignores_SIGTERM_kills_it_after_the_grace()
    {
        var request = Harness.Request(["sleep", "300"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = Harness.Runner.RunAsync(request, timeout.Token);
        await Harness.RunningContainerAsync(request.JobId);

        Assert.True(await Harness.Runner.StopAsync(request.JobId, request.Attempt, TimeSpan.FromSeconds(1), timeout.Token));
        var result = await run;

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(137, result.ExitCode);
    }

    [Fact]
    public async Task Stopping_an_attempt_without_a_running_container_returns_false()
    {
        var request = Harness.Request(["true"], removeContainers: false);
        await Harness.RunAsync(request);

        Assert.False(await Harness.Runner.StopAsync(request.JobId, request.Attempt, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.False(await Harness.Runner.StopAsync(Harness.NextJobId(), 1, TimeSpan.FromSeconds(1), CancellationToken.None));
    }
}

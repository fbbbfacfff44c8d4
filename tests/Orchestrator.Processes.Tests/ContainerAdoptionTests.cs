using Docker.DotNet.Models;

namespace Orchestrator.Processes.Tests;

/// <summary>
/// An attempt has one container: a restarted silo adopts it, a second run of the attempt waits for it instead of
/// creating another, and the next attempt removes it.
/// </summary>
public sealed class ContainerAdoptionTests : RunnerTests
{
    [Fact]
    public async Task A_container_left_running_by_a_cancelled_run_is_adopted_with_its_exit_code_and_whole_output()
    {
        var request = Harness.Request(["sh", "-c", "echo before; sleep 3; echo after; echo problem >&2; exit 7"]);
        var id = await Harness.RunAndDetachAsync(request);
        Assert.Equal("running", await Harness.StateOfAsync(id));

        var result = await Harness.ResumeAsync(request, Harness.NewRunner());

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal(id, result.ContainerId);
        Assert.Equal("before\nafter\n", result.StdoutTail);
        Assert.Equal("problem\n", result.StderrTail);
        Assert.False(result.LogsTruncated);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task Resuming_an_attempt_whose_container_has_exited_collects_its_exit_code_and_logs()
    {
        var request = Harness.Request(["sh", "-c", "echo out; echo err >&2; exit 4"], removeContainers: false);
        var run = await Harness.RunAsync(request);

        var result = await Harness.ResumeAsync(request with { Process = request.Process with { RemoveContainers = true } });

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(4, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal(run.ContainerId, result.ContainerId);
        Assert.Equal("out\n", result.StdoutTail);
        Assert.Equal("err\n", result.StderrTail);
        Assert.True(result.FinishedAt >= result.StartedAt);
        Assert.True(result.FinishedAt <= run.FinishedAt.AddSeconds(1), $"finished {result.FinishedAt:O}, the run ended {run.FinishedAt:O}");
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task Resuming_an_attempt_that_has_no_container_reports_it_vanished()
    {
        var request = Harness.Request(["true"]);

        var result = await Harness.ResumeAsync(request);

        Assert.Equal(ContainerRunOutcome.Vanished, result.Outcome);
        Assert.Null(result.ContainerId);
        Assert.Null(result.ExitCode);
        Assert.Equal($"attempt 1 of job {request.JobId} has no container; it was removed or lost with the engine", result.Error);
    }

    [Fact]
    public async Task A_container_removed_while_it_is_waited_on_is_reported_vanished()
    {
        var request = Harness.Request(["sleep", "300"]);
        var id = await Harness.RunAndDetachAsync(request);
        var resume = Harness.ResumeAsync(request);

        // Whether the removal comes before the resume looks or while it waits, the container is gone.
        await Harness.RemoveAsync(id);
        var result = await resume;

        Assert.True(result.Outcome == ContainerRunOutcome.Vanished, result.Error);
        Assert.Null(result.ExitCode);
        Assert.Contains($"of job {request.JobId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_removed_while_its_run_waits_on_it_is_reported_vanished()
    {
        var request = Harness.Request(["sh", "-c", "echo up; sleep 300"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = Harness.Runner.RunAsync(request, timeout.Token);
        var id = await Harness.RunningContainerAsync(request.JobId);

        await Harness.RemoveAsync(id);
        var result = await run;

        Assert.True(result.Outcome == ContainerRunOutcome.Vanished, result.Error);
        Assert.Null(result.ExitCode);
        Assert.Equal($"the container {id} of attempt 1 of job {request.JobId} was removed while it was waited on", result.Error);
    }

    [Fact]
    public async Task Running_an_attempt_twice_at_once_creates_one_container_and_both_runs_report_its_exit()
    {
        var request = Harness.Request(["sh", "-c", "sleep 2; echo done; exit 5"]);

        var runs = Task.WhenAll(Harness.RunAsync(request), Harness.RunAsync(request));
        await Harness.RunningContainerAsync(request.JobId);
        var whileRunning = await Harness.ContainersOfJobAsync(request.JobId);
        var results = await runs;

        Assert.Single(whileRunning);
        Assert.All(results, result => Assert.Equal(ContainerRunOutcome.Exited, result.Outcome));
        Assert.All(results, result => Assert.Equal(5, result.ExitCode));
        Assert.All(results, result => Assert.Equal("done\n", result.StdoutTail));
        Assert.Equal(results[0].ContainerId, results[1].ContainerId);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task Running_an_attempt_from_another_runner_while_its_container_runs_waits_for_that_container()
    {
        // Kept, so that neither run removes the container while the other still looks at it.
        var request = Harness.Request(["sh", "-c", "echo hi; sleep 3; exit 6"], removeContainers: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = Harness.Runner.RunAsync(request, timeout.Token);
        await Harness.RunningContainerAsync(request.JobId);

        var second = await Harness.NewRunner().RunAsync(request, timeout.Token);
        var firstResult = await first;

        Assert.Equal((ContainerRunOutcome.Exited, 6L), (second.Outcome, second.ExitCode!.Value));
        Assert.Equal((ContainerRunOutcome.Exited, 6L), (firstResult.Outcome, firstResult.ExitCode!.Value));
        Assert.Equal("hi\n", second.StdoutTail);
        Assert.Equal(firstResult.ContainerId, second.ContainerId);
        Assert.Single(await Harness.ContainersOfJobAsync(request.JobId));
    }

    [Fact]
    public async Task A_leftover_container_of_an_earlier_attempt_is_removed_before_the_next_attempt_runs()
    {
        var first = Harness.Request(["sleep", "300"]);
        var leftover = await Harness.RunAndDetachAsync(first);

        var result = await Harness.RunAsync(first with { Attempt = 2, Process = first.Process with { Command = ["echo", "second"] } });

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal("second\n", result.StdoutTail);
        Assert.Null(await Harness.StateOfAsync(leftover));
        Assert.Equal(result.ContainerId, Assert.Single(await Harness.ContainersOfJobAsync(first.JobId)).ID);
    }

    [Fact]
    public async Task Every_container_of_an_attempt_carries_its_attempt_label()
    {
        var request = Harness.Request(["true"], removeContainers: false, attempt: 3);

        var result = await Harness.RunAsync(request);

        ContainerInspectResponse container = await Harness.Engine.Client.Containers.InspectContainerAsync(result.ContainerId!);
        Assert.Equal("3", container.Config!.Labels![ContainerLabels.Attempt]);
        Assert.Equal("/" + ContainerNames.For("default", request.JobId, 3), container.Name);
    }

    [Fact]
    public async Task Another_deployment_on_the_same_engine_neither_adopts_nor_removes_a_container_with_the_same_job_id()
    {
        var request = Harness.Request(["sh", "-c", "trap 'exit 143' TERM; while true; do sleep 0.2; done"]);
        var mine = await Harness.RunAndDetachAsync(request);
        var other = Harness.NewRunner(o => o.Scope = "another-deployment");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var adopted = await other.ResumeAsync(request, timeout.Token);
        var stopped = await other.StopAsync(request.JobId, request.Attempt, TimeSpan.FromSeconds(1), timeout.Token);
        await other.RemoveAsync(request.JobId, request.Attempt, timeout.Token);
        var own = await other.RunAsync(request with { Process = request.Process with { Command = ["true"] } }, timeout.Token);

        Assert.Equal(ContainerRunOutcome.Vanished, adopted.Outcome);
        Assert.False(stopped);
        Assert.Equal("running", await Harness.StateOfAsync(mine));
        Assert.Equal((ContainerRunOutcome.Exited, 0L), (own.Outcome, own.ExitCode!.Value));
        Assert.NotEqual(mine, own.ContainerId);
    }
}

using System.Diagnostics;

namespace Orchestrator.Processes.Tests;

/// <summary>A run's deadline: the container is stopped (SIGTERM, SIGKILL after the grace) and the run times out.</summary>
public sealed class ContainerTimeoutTests : RunnerTests
{
    private const string HandlesTerm = "trap 'exit 143' TERM; while true; do sleep 0.2; done";
    private const string IgnoresTerm = "trap '' TERM; while true; do sleep 0.2; done";
    [Fact]
    public async Task A_container_past_its_deadline_is_killed_after_the_grace_and_the_run_times_out()
    {
        // sleep as PID 1 has no SIGTERM handler, and the kernel ignores that signal for PID 1: only SIGKILL ends it.
        var request = Harness.Request(["sleep", "300"]) with { Deadline = DateTimeOffset.UtcNow.AddSeconds(2), StopGrace = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();

        var result = await Harness.RunAsync(request);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(ContainerRunOutcome.TimedOut, result.Outcome);
        Assert.Equal(137, result.ExitCode);
        Assert.StartsWith("timed out after 00:00:0", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("stopped (SIGTERM, killed after 1 s grace)", result.Error, StringComparison.Ordinal);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    [Fact]
    public async Task A_container_that_handles_SIGTERM_exits_on_it_long_before_the_grace_ends()
    {
        // The deadline leaves the shell time to set its trap even on a loaded engine; SIGTERM before it would be ignored.
        var request = Harness.Request(["sh", "-c", HandlesTerm]) with { Deadline = DateTimeOffset.UtcNow.AddSeconds(8), StopGrace = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();

        var result = await Harness.RunAsync(request);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(ContainerRunOutcome.TimedOut, result.Outcome);
        Assert.Equal(143, result.ExitCode);
        Assert.EndsWith("stopped (exited on SIGTERM with code 143 within 60 s grace)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_that_ignores_SIGTERM_is_killed_after_the_grace()
    {
        var request = Harness.Request(["sh", "-c", IgnoresTerm]) with { Deadline = DateTimeOffset.UtcNow.AddSeconds(1), StopGrace = TimeSpan.FromSeconds(3) };
        var clock = Stopwatch.StartNew();

        var result = await Harness.RunAsync(request);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3.5), $"took only {clock.Elapsed}: not the whole grace");
        Assert.Equal(ContainerRunOutcome.TimedOut, result.Outcome);
        Assert.Equal(137, result.ExitCode);
        Assert.EndsWith("stopped (SIGTERM, killed after 3 s grace)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_that_ends_before_its_deadline_is_not_stopped()
    {
        var request = Harness.Request(["sh", "-c", "echo quick"]) with { Deadline = DateTimeOffset.UtcNow.AddMinutes(5) };

        var result = await Harness.RunAsync(request);

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal("quick\n", result.StdoutTail);
    }

    [Fact]
    public async Task An_adopted_container_whose_deadline_has_passed_is_stopped_at_once()
    {
        var request = Harness.Request(["sh", "-c", "trap 'exit 143' TERM; echo started; while true; do sleep 0.2; done"]);
        await Harness.RunAndDetachAsync(request);
        await RunnerHarness.PrintedAsync(request.JobId, "started");
        var clock = Stopwatch.StartNew();

        var result = await Harness.ResumeAsync(request with { Deadline = DateTimeOffset.UtcNow.AddMinutes(-1), StopGrace = TimeSpan.FromSeconds(60) });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(ContainerRunOutcome.TimedOut, result.Outcome);
        Assert.Equal(143, result.ExitCode);
        Assert.Equal("started\n", result.StdoutTail);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }
}

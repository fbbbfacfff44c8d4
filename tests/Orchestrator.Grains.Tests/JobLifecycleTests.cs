using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs;

namespace Orchestrator.Grains.Tests;

public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JobRequest Request(long eventId = 7) =>
        new("link", "proc", new CapturedEvent(eventId, "in", "public", "t", ChangeOperation.Insert, null, "{}", 1, T0));

    [Fact]
    public void Acknowledge_records_the_job_once_as_acknowledged_then_awaiting()
    {
        var state = new JobState();

        Assert.True(JobLifecycle.Acknowledge(state, "job:link:7", Request(), T0));
        Assert.False(JobLifecycle.Acknowledge(state, "job:link:7", Request(8), T0.AddSeconds(1)));

        Assert.Equal(JobStatus.Awaiting, state.Status);
        Assert.Equal([JobStatus.Acknowledged, JobStatus.Awaiting], state.Transitions.Select(t => t.Status));
        Assert.Equal(7, state.Event!.Id);
        Assert.Equal(("link", "proc"), (state.LinkId, state.ProcessId));
    }

    [Fact]
    public void A_zero_exit_code_succeeds_with_one_run_entry()
    {
        var state = new JobState();
        JobLifecycle.Acknowledge(state, "j", Request(), T0);

        JobLifecycle.BeginAttempt(state, "img", T0.AddSeconds(1));
        JobLifecycle.CompleteAttempt(state, new AttemptOutcome("c1", 0, null, "out", "", false, T0.AddSeconds(2)));

        Assert.Equal(JobStatus.Succeeded, state.Status);
        var run = Assert.Single(state.Runs);
        Assert.Equal((1, "c1", 0L, "out"), (run.Attempt, run.ContainerId, run.ExitCode!.Value, run.StdoutTail));
        Assert.Equal(T0.AddSeconds(2), run.FinishedAt);
        Assert.Equal(
            [JobStatus.Acknowledged, JobStatus.Awaiting, JobStatus.Executing, JobStatus.Succeeded],
            state.Transitions.Select(t => t.Status));
    }

    [Fact]
    public void A_non_zero_exit_code_fails_and_says_which()
    {
        var state = new JobState();
        JobLifecycle.Acknowledge(state, "j", Request(), T0);
        JobLifecycle.BeginAttempt(state, "img", T0);

        JobLifecycle.CompleteAttempt(state, new AttemptOutcome("c1", 3, null, "", "boom", false, T0));

        Assert.Equal(JobStatus.Failed, state.Status);
        Assert.Equal("exit code 3", state.Transitions[^1].Reason);
        Assert.Equal(3, state.Runs[0].ExitCode);
    }

    [Fact]
    public void An_error_without_exit_code_fails_with_the_error()
    {
        var state = new JobState();
        JobLifecycle.Acknowledge(state, "j", Request(), T0);
        JobLifecycle.BeginAttempt(state, "img", T0);

        JobLifecycle.CompleteAttempt(state, new AttemptOutcome(null, null, "pulling image 'x' failed: not found", "", "", false, T0));

        Assert.Equal(JobStatus.Failed, state.Status);
        Assert.Equal("pulling image 'x' failed: not found", state.Runs[0].Error);
    }

    [Fact]
    public void Transitions_out_of_order_are_refused_and_change_nothing()
    {
        var state = new JobState();
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.BeginAttempt(state, "img", T0));

        JobLifecycle.Acknowledge(state, "j", Request(), T0);
        Assert.Throws<InvalidJobTransitionException>(() =>
            JobLifecycle.CompleteAttempt(state, new AttemptOutcome(null, 0, null, "", "", false, T0)));
        JobLifecycle.BeginAttempt(state, "img", T0);
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.BeginAttempt(state, "img", T0));

        Assert.Equal(3, state.Transitions.Count);
        Assert.Single(state.Runs);
    }
}

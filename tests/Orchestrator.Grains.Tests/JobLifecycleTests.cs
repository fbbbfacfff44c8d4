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

    private static AttemptOutcome Exited(long code, DateTimeOffset at, string stdout = "", string stderr = "") =>
        new(RunOutcome.Exited, "c1", code, null, stdout, stderr, false, at);

    private static JobState Executing()
    {
        var state = new JobState();
        JobLifecycle.Acknowledge(state, "j", Request(), T0);
        JobLifecycle.BeginAttempt(state, "img", T0.AddSeconds(1));
        return state;
    }

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
    public void A_successful_attempt_completes_its_run_entry()
    {
        var state = Executing();

        JobLifecycle.CompleteAttempt(state, Exited(0, T0.AddSeconds(3), "out"), new AttemptVerdict(VerdictKind.Succeed, "exit code 0"));

        Assert.Equal(JobStatus.Succeeded, state.Status);
        var run = Assert.Single(state.Runs);
        Assert.Equal((1, "c1", 0L, "out", RunOutcome.Exited), (run.Attempt, run.ContainerId, run.ExitCode!.Value, run.StdoutTail, run.Outcome!.Value));
        Assert.Equal(TimeSpan.FromSeconds(2), run.Duration);
        Assert.Equal(
            [JobStatus.Acknowledged, JobStatus.Awaiting, JobStatus.Executing, JobStatus.Succeeded],
            state.Transitions.Select(t => t.Status));
    }

    [Fact]
    public void A_retry_verdict_sends_the_job_back_to_wait_until_its_time_and_the_next_attempt_adds_a_run()
    {
        var state = Executing();
        var retryAt = T0.AddSeconds(10);

        JobLifecycle.CompleteAttempt(state, Exited(1, T0.AddSeconds(2)), new AttemptVerdict(VerdictKind.Retry, "retrying", retryAt));
        Assert.Equal((JobStatus.Awaiting, retryAt), (state.Status, state.RetryAt!.Value));

        JobLifecycle.BeginAttempt(state, "img", retryAt);
        Assert.Null(state.RetryAt);
        Assert.Equal([1, 2], state.Runs.Select(r => r.Attempt));
        Assert.Equal(1, state.Runs[0].ExitCode);
        Assert.Null(state.Runs[1].FinishedAt);
    }

    [Theory]
    [InlineData(VerdictKind.Fail, JobStatus.Failed)]
    [InlineData(VerdictKind.Discard, JobStatus.Discarded)]
    public void Fail_and_discard_verdicts_end_the_job_with_their_reason(VerdictKind verdict, JobStatus expected)
    {
        var state = Executing();

        JobLifecycle.CompleteAttempt(state, Exited(3, T0.AddSeconds(2), stderr: "boom"), new AttemptVerdict(verdict, "because"));

        Assert.Equal(expected, state.Status);
        Assert.Equal("because", state.Transitions[^1].Reason);
        Assert.Equal("boom", state.Runs[0].StderrTail);
    }

    [Fact]
    public void Cancelling_a_running_attempt_records_the_run_as_cancelled_and_who_asked()
    {
        var state = Executing();

        JobLifecycle.Cancel(state, "cli:ann@box", T0.AddSeconds(5), Exited(143, T0.AddSeconds(4)));

        Assert.Equal(JobStatus.Discarded, state.Status);
        Assert.Equal(RunOutcome.Cancelled, state.Runs[0].Outcome);
        Assert.Equal(143, state.Runs[0].ExitCode);
        var last = state.Transitions[^1];
        Assert.Equal(("cli:ann@box", T0.AddSeconds(5)), (last.By, last.At));
        Assert.Contains("cancelled by cli:ann@box", last.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_a_waiting_job_adds_no_run_and_a_finished_job_cannot_be_cancelled()
    {
        var state = new JobState();
        JobLifecycle.Acknowledge(state, "j", Request(), T0);

        JobLifecycle.Cancel(state, "api", T0.AddSeconds(1), outcome: null);

        Assert.Equal(JobStatus.Discarded, state.Status);
        Assert.Empty(state.Runs);
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.Cancel(state, "api", T0.AddSeconds(2), outcome: null));
        Assert.Equal(3, state.Transitions.Count);
    }

    [Fact]
    public void A_job_of_an_undeclared_process_fails_and_its_running_attempt_is_recorded_as_abandoned()
    {
        var running = Executing();
        var waiting = new JobState();
        JobLifecycle.Acknowledge(waiting, "w", Request(), T0);

        JobLifecycle.Abandon(running, T0.AddSeconds(5));
        JobLifecycle.Abandon(waiting, T0.AddSeconds(5));

        Assert.Equal((JobStatus.Failed, JobStatus.Failed), (running.Status, waiting.Status));
        Assert.Equal((RunOutcome.Abandoned, T0.AddSeconds(5)), (running.Runs[0].Outcome!.Value, running.Runs[0].FinishedAt!.Value));
        Assert.Null(running.Runs[0].ExitCode);
        Assert.Equal("process 'proc' is not in the pipeline graph (attempt 1 abandoned)", running.Transitions[^1].Reason);
        Assert.Empty(waiting.Runs);
        Assert.Equal("process 'proc' is not in the pipeline graph", waiting.Transitions[^1].Reason);
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.Abandon(waiting, T0.AddSeconds(6)));
    }

    [Fact]
    public void A_manual_retry_keeps_the_history_and_restarts_the_policy_count()
    {
        var state = Executing();
        JobLifecycle.CompleteAttempt(state, Exited(2, T0.AddSeconds(2)), new AttemptVerdict(VerdictKind.Discard, "discarded"));
        var before = state.Transitions.ToList();

        JobLifecycle.Redrive(state, "cli:ann@box", T0.AddSeconds(9));

        Assert.Equal(JobStatus.Awaiting, state.Status);
        Assert.Equal(before, state.Transitions.Take(before.Count));
        Assert.Equal("cli:ann@box", state.Transitions[^1].By);
        Assert.Equal(0, JobLifecycle.AttemptsInBudget(state));
        JobLifecycle.BeginAttempt(state, "img", T0.AddSeconds(10));
        Assert.Equal((2, 1), (state.Attempts, JobLifecycle.AttemptsInBudget(state)));
    }

    [Fact]
    public void Only_failed_or_discarded_jobs_can_be_retried_by_hand()
    {
        var state = Executing();
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.Redrive(state, "x", T0));
        JobLifecycle.CompleteAttempt(state, Exited(0, T0), new AttemptVerdict(VerdictKind.Succeed, "ok"));
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.Redrive(state, "x", T0));
    }

    [Fact]
    public void Transitions_out_of_order_are_refused_and_change_nothing()
    {
        var state = new JobState();
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.BeginAttempt(state, "img", T0));

        JobLifecycle.Acknowledge(state, "j", Request(), T0);
        Assert.Throws<InvalidJobTransitionException>(() =>
            JobLifecycle.CompleteAttempt(state, Exited(0, T0), new AttemptVerdict(VerdictKind.Succeed, "ok")));
        JobLifecycle.BeginAttempt(state, "img", T0);
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.BeginAttempt(state, "img", T0));

        Assert.Equal(3, state.Transitions.Count);
        Assert.Single(state.Runs);
    }
}

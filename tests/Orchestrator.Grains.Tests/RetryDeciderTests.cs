using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Grains.Jobs;

namespace Orchestrator.Grains.Tests;

public sealed class RetryDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RetryPolicyDefinition Policy = new() { MaxAttempts = 3, InitialDelaySeconds = 2, MaxDelaySeconds = 5, Multiplier = 2, Jitter = 0 };

    private static readonly Dictionary<string, string> ExitMap = new() { ["75"] = "retry", ["2"] = "discard", ["9"] = "success" };

    private static AttemptOutcome Outcome(RunOutcome kind, long? code = null, string? error = null) =>
        new(kind, "c", code, error, "", "", false, T0);

    private static AttemptVerdict Decide(AttemptOutcome outcome, int attempts, RetryPolicyDefinition? policy = null) =>
        RetryDecider.Decide(outcome, policy ?? Policy, ExitMap, attempts, T0, 0.5);

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    public void Zero_and_codes_mapped_to_success_succeed(long code) =>
        Assert.Equal(VerdictKind.Succeed, Decide(Outcome(RunOutcome.Exited, code), 1).Kind);

    [Fact]
    public void A_code_mapped_to_discard_is_discarded_at_once_with_attempts_left()
    {
        var verdict = Decide(Outcome(RunOutcome.Exited, 2), 1);

        Assert.Equal(VerdictKind.Discard, verdict.Kind);
        Assert.Equal("exit code 2, mapped to discard", verdict.Reason);
    }

    [Fact]
    public void A_code_mapped_to_retry_retries_even_when_the_policy_does_not_retry_exit_codes()
    {
        var policy = Policy with { RetryOn = [RetryPolicyDefinition.OnTimeout] };

        Assert.Equal(VerdictKind.Retry, Decide(Outcome(RunOutcome.Exited, 75), 1, policy).Kind);
        Assert.Equal(VerdictKind.Fail, Decide(Outcome(RunOutcome.Exited, 1), 1, policy).Kind);
    }

    [Fact]
    public void Unlisted_codes_retry_with_exponential_backoff_capped_then_are_discarded()
    {
        var first = Decide(Outcome(RunOutcome.Exited, 1), 1);
        var second = Decide(Outcome(RunOutcome.Exited, 1), 2);
        var last = Decide(Outcome(RunOutcome.Exited, 1), 3);

        Assert.Equal((VerdictKind.Retry, T0.AddSeconds(2)), (first.Kind, first.RetryAt!.Value));
        Assert.Equal((VerdictKind.Retry, T0.AddSeconds(4)), (second.Kind, second.RetryAt!.Value));
        Assert.Equal(VerdictKind.Discard, last.Kind);
        Assert.Equal("attempt 3 of 3: exit code 1; no attempts left", last.Reason);
        Assert.Null(last.RetryAt);
    }

    [Theory]
    [InlineData(RunOutcome.EngineUnavailable, RetryPolicyDefinition.OnInfrastructure)]
    [InlineData(RunOutcome.Vanished, RetryPolicyDefinition.OnInfrastructure)]
    [InlineData(RunOutcome.PullFailed, RetryPolicyDefinition.OnInfrastructure)]
    [InlineData(RunOutcome.TimedOut, RetryPolicyDefinition.OnTimeout)]
    public void Other_outcomes_retry_only_when_the_policy_lists_their_kind(RunOutcome kind, string failureKind)
    {
        var outcome = Outcome(kind, error: "went wrong");

        Assert.Equal(VerdictKind.Retry, Decide(outcome, 1).Kind);
        var verdict = Decide(outcome, 1, Policy with { RetryOn = RetryPolicyDefinition.FailureKinds.Where(k => k != failureKind).ToList() });
        Assert.Equal(VerdictKind.Fail, verdict.Kind);
        Assert.Equal($"went wrong; the retry policy does not retry on {failureKind}", verdict.Reason);
    }

    [Fact]
    public void Backoff_grows_by_the_multiplier_up_to_the_cap_and_jitter_stays_within_its_fraction()
    {
        var policy = new RetryPolicyDefinition { InitialDelaySeconds = 1, MaxDelaySeconds = 60, Multiplier = 3, Jitter = 0.25 };

        Assert.Equal(TimeSpan.FromSeconds(9), RetryDecider.Backoff(policy, 3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDecider.Backoff(policy, 10, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(6.75), RetryDecider.Backoff(policy, 3, 0));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDecider.Backoff(policy, 10, 0.999));
        var spread = Enumerable.Range(0, 100).Select(i => RetryDecider.Backoff(policy, 2, i / 100.0).TotalSeconds).ToList();
        Assert.InRange(spread.Min(), 2.25, 2.26);
        Assert.InRange(spread.Max(), 3.7, 3.75);
    }
}

using System.Globalization;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// Decides what an attempt's outcome means for its job: the process's exit-code map first, then the retry policy
/// (which failure kinds retry, how many attempts, how long to wait). Pure: the caller supplies the clock and the
/// random draw, so every decision can be tested.
/// </summary>
public static class RetryDecider
{
    /// <summary>Decides the fate of a job whose attempt number <paramref name="attemptsInBudget"/> (counted by the policy) ended with <paramref name="outcome"/>.</summary>
    public static AttemptVerdict Decide(
        AttemptOutcome outcome,
        RetryPolicyDefinition policy,
        IReadOnlyDictionary<string, string> exitCodes,
        int attemptsInBudget,
        DateTimeOffset now,
        double random)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(exitCodes);
        var what = Describe(outcome);
        if (outcome is { Kind: RunOutcome.Exited, ExitCode: { } code })
        {
            var action = exitCodes.GetValueOrDefault(code.ToString(CultureInfo.InvariantCulture));
            switch (action)
            {
                case ExitCodeAction.Success:
                    return new(VerdictKind.Succeed, code == 0 ? what : $"{what}, mapped to success");
                case ExitCodeAction.Discard:
                    return new(VerdictKind.Discard, $"{what}, mapped to discard");
                case ExitCodeAction.Retry:
                    return RetryOrDiscard($"{what}, mapped to retry", policy, attemptsInBudget, now, random);
                case null when code == 0:
                    return new(VerdictKind.Succeed, what);
            }
        }

        var kind = FailureKind(outcome.Kind);
        return policy.RetryOn.Contains(kind, StringComparer.Ordinal)
            ? RetryOrDiscard(what, policy, attemptsInBudget, now, random)
            : new(VerdictKind.Fail, $"{what}; the retry policy does not retry on {kind}");
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (from 1): the initial delay times the multiplier to
    /// the power retry - 1, capped, spread by the jitter (<paramref name="random"/> in [0, 1) picks where), capped again.
    /// </summary>
    public static TimeSpan Backoff(RetryPolicyDefinition policy, int retry, double random)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var seconds = Math.Min(policy.MaxDelaySeconds, policy.InitialDelaySeconds * Math.Pow(policy.Multiplier, retry - 1));
        var spread = seconds * (1 + (policy.Jitter * ((2 * random) - 1)));
        return TimeSpan.FromSeconds(Math.Clamp(spread, 0, policy.MaxDelaySeconds));
    }

    /// <summary>The retry policy's name for the kind of failure <paramref name="outcome"/> is.</summary>
    public static string FailureKind(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Exited => RetryPolicyDefinition.OnExitCode,
        RunOutcome.TimedOut => RetryPolicyDefinition.OnTimeout,
        _ => RetryPolicyDefinition.OnInfrastructure,
    };

    /// <summary>The outcome in a few words, e.g. "exit code 3" or "timed out …".</summary>
    public static string Describe(AttemptOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome switch
        {
            { Kind: RunOutcome.Exited, ExitCode: { } code, Error: null } => $"exit code {code}",
            { Error: { } error, ExitCode: { } code } => $"{error} (exit code {code})",
            { Error: { } error } => error,
            { ExitCode: { } code } => $"{outcome.Kind} (exit code {code})",
            _ => outcome.Kind.ToString(),
        };
    }

    private static AttemptVerdict RetryOrDiscard(string what, RetryPolicyDefinition policy, int attempts, DateTimeOffset now, double random)
    {
        if (attempts >= policy.MaxAttempts)
        {
            return new(VerdictKind.Discard, $"attempt {attempts} of {policy.MaxAttempts}: {what}; no attempts left");
        }

        var wait = Backoff(policy, attempts, random);
        return new(
            VerdictKind.Retry,
            $"attempt {attempts} of {policy.MaxAttempts}: {what}; retrying in {wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
            now + wait);
    }
}

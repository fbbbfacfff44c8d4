namespace Orchestrator.Grains.Jobs;

/// <summary>What becomes of a job after an attempt.</summary>
public enum VerdictKind
{
    /// <summary>The job succeeded.</summary>
    Succeed,

    /// <summary>The job waits and tries again.</summary>
    Retry,

    /// <summary>The job failed: the retry policy does not retry this kind of failure.</summary>
    Fail,

    /// <summary>The job is given up: attempts are exhausted or its exit code says so.</summary>
    Discard,
}

/// <summary>The decision after an attempt, with the reason recorded in the job's transition.</summary>
/// <param name="Kind">What becomes of the job.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="RetryAt">When the retry may start; set only for <see cref="VerdictKind.Retry"/>.</param>
public sealed record AttemptVerdict(VerdictKind Kind, string Reason, DateTimeOffset? RetryAt = null);

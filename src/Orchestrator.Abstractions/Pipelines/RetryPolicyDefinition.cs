namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// When a failed attempt is tried again: at most <see cref="MaxAttempts"/> attempts, the n-th retry waiting
/// <c>min(MaxDelaySeconds, InitialDelaySeconds × Multiplier^(n-1))</c> give or take <see cref="Jitter"/>, for the
/// failure kinds listed in <see cref="RetryOn"/>. A process declares the default; a link may replace it whole.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.retry-policy")]
public sealed record RetryPolicyDefinition
{
    /// <summary>Retries after a non-zero exit code that the exit-code map does not list.</summary>
    public const string OnExitCode = "exit-code";

    /// <summary>Retries when the attempt could not run or was lost: engine unreachable, pull failed, container vanished.</summary>
    public const string OnInfrastructure = "infrastructure";

    /// <summary>Retries after the attempt ran out of time.</summary>
    public const string OnTimeout = "timeout";

    /// <summary>The failure kinds a policy may list in <see cref="RetryOn"/>.</summary>
    public static readonly IReadOnlySet<string> FailureKinds = new HashSet<string>(StringComparer.Ordinal) { OnExitCode, OnInfrastructure, OnTimeout };

    /// <summary>The policy of a process that declares none.</summary>
    public static readonly RetryPolicyDefinition Default = new();

    /// <summary>The most attempts a job makes, the first included (1 = never retry).</summary>
    [Id(0)] public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the first retry, in seconds.</summary>
    [Id(1)] public double InitialDelaySeconds { get; init; } = 5;

    /// <summary>The longest wait between attempts, in seconds.</summary>
    [Id(2)] public double MaxDelaySeconds { get; init; } = 300;

    /// <summary>How much each wait grows over the previous one.</summary>
    [Id(3)] public double Multiplier { get; init; } = 2;

    /// <summary>The fraction (0 to 1) by which a wait is spread at random either way, so retries do not march in step.</summary>
    [Id(4)] public double Jitter { get; init; } = 0.2;

    /// <summary>Which failure kinds are retried: <see cref="OnExitCode"/>, <see cref="OnInfrastructure"/>, <see cref="OnTimeout"/>.</summary>
    [Id(5)] public IReadOnlyList<string> RetryOn { get; init; } = [OnExitCode, OnInfrastructure, OnTimeout];
}

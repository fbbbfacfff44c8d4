namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// One entry of a job's append-only history: the status it entered, when, why, and who asked for it (null when
/// Orchestrator itself moved the job on).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-transition")]
public sealed record JobTransition(
    [property: Id(0)] JobStatus Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string? By = null);

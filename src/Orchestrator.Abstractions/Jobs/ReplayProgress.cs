namespace Orchestrator.Abstractions.Jobs;

/// <summary>How far a replay has come: of the jobs selected when it started, how many were replayed or skipped.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.replay-progress")]
public sealed record ReplayProgress(
    [property: Id(0)] string ReplayId,
    [property: Id(1)] ReplayRequest Request,
    [property: Id(2)] ReplayStatus Status,
    [property: Id(3)] long Selected,
    [property: Id(4)] long Replayed,
    [property: Id(5)] long Skipped,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt);

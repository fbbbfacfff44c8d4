namespace Orchestrator.Abstractions.Jobs;

/// <summary>One attempt of a job: the container that ran it and what came out.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-run")]
public sealed record JobRun
{
    /// <summary>The attempt number, from 1.</summary>
    [Id(0)] public required int Attempt { get; init; }

    /// <summary>The image the attempt ran.</summary>
    [Id(1)] public required string Image { get; init; }

    /// <summary>The container's id, once it was created.</summary>
    [Id(2)] public string? ContainerId { get; init; }

    /// <summary>When the attempt started.</summary>
    [Id(3)] public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the attempt ended; null while it runs.</summary>
    [Id(4)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The container's exit code, when it exited.</summary>
    [Id(5)] public long? ExitCode { get; init; }

    /// <summary>Why the attempt failed when the cause is not the exit code (pull failure, engine error).</summary>
    [Id(6)] public string? Error { get; init; }

    /// <summary>The end of the container's standard output, bounded.</summary>
    [Id(7)] public string StdoutTail { get; init; } = "";

    /// <summary>The end of the container's standard error, bounded.</summary>
    [Id(8)] public string StderrTail { get; init; } = "";

    /// <summary>True when the logs were longer than the stored tails.</summary>
    [Id(9)] public bool LogsTruncated { get; init; }

    /// <summary>How the attempt ended; null while it runs.</summary>
    [Id(10)] public RunOutcome? Outcome { get; init; }

    /// <summary>How long the attempt took, from its start to its end; null while it runs.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

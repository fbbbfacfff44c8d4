namespace Orchestrator.Processes;

/// <summary>What a container run produced.</summary>
public sealed record ContainerRunResult
{
    /// <summary>How the run ended.</summary>
    public required ContainerRunOutcome Outcome { get; init; }

    /// <summary>The image.</summary>
    public required string Image { get; init; }

    /// <summary>The container, once created (it may since have been removed).</summary>
    public string? ContainerId { get; init; }

    /// <summary>When the run began, before any image pull.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The exit code, when the container exited.</summary>
    public long? ExitCode { get; init; }

    /// <summary>Why the run failed when the cause is not the exit code; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The end of stdout, at most the configured tail size in UTF-8 bytes.</summary>
    public string StdoutTail { get; init; } = "";

    /// <summary>The end of stderr, at most the configured tail size in UTF-8 bytes.</summary>
    public string StderrTail { get; init; } = "";

    /// <summary>True when a log was longer than its tail, or could not be read.</summary>
    public bool LogsTruncated { get; init; }
}

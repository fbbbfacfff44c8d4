using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Processes;

/// <summary>One attempt to run as a container.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="LinkId">The link that made the job.</param>
/// <param name="ProcessId">The process.</param>
/// <param name="Process">The process's definition: image, argv, environment.</param>
/// <param name="EventJson">The event document the container receives.</param>
public sealed record ContainerRunRequest(
    string JobId,
    int Attempt,
    string LinkId,
    string ProcessId,
    ContainerProcessDefinition Process,
    string EventJson);

/// <summary>How a container run ended.</summary>
public enum ContainerRunOutcome
{
    /// <summary>The container ran and exited; see the exit code.</summary>
    Exited,

    /// <summary>The image was not present and could not be pulled.</summary>
    PullFailed,

    /// <summary>The engine refused or failed an operation (create, start, wait).</summary>
    EngineError,
}

/// <summary>What a container run produced.</summary>
public sealed record ContainerRunResult
{
    /// <summary>How the run ended.</summary>
    public required ContainerRunOutcome Outcome { get; init; }

    /// <summary>The image.</summary>
    public required string Image { get; init; }

    /// <summary>The container, once created.</summary>
    public string? ContainerId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The exit code when the container exited.</summary>
    public long? ExitCode { get; init; }

    /// <summary>Why the run failed when the cause is not the exit code.</summary>
    public string? Error { get; init; }

    /// <summary>The end of stdout.</summary>
    public string StdoutTail { get; init; } = "";

    /// <summary>The end of stderr.</summary>
    public string StderrTail { get; init; } = "";

    /// <summary>True when a log was longer than its tail.</summary>
    public bool LogsTruncated { get; init; }
}

/// <summary>Runs containers. Run failures are results, not exceptions; only cancellation throws.</summary>
public interface IContainerRunner
{
    /// <summary>Runs <paramref name="request"/> to completion and returns what it produced.</summary>
    Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken);
}

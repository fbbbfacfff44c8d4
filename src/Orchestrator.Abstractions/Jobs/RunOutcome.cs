namespace Orchestrator.Abstractions.Jobs;

/// <summary>How one attempt ended.</summary>
[GenerateSerializer]
[Alias("orchestrator.run-outcome")]
public enum RunOutcome
{
    /// <summary>The process exited; its exit code says how.</summary>
    Exited = 0,

    /// <summary>The attempt ran out of time and was stopped.</summary>
    TimedOut = 1,

    /// <summary>A client cancelled the job while the attempt ran; the container was stopped.</summary>
    Cancelled = 2,

    /// <summary>The image was missing and could not be pulled.</summary>
    PullFailed = 3,

    /// <summary>The engine refused to create or start the container.</summary>
    StartFailed = 4,

    /// <summary>The engine answered an operation on the running container with an error.</summary>
    EngineError = 5,

    /// <summary>The engine could not be reached.</summary>
    EngineUnavailable = 6,

    /// <summary>The attempt's container was gone when it was looked for (engine restarted, container removed).</summary>
    Vanished = 7,

    /// <summary>The loaded pipelines no longer declared the attempt's process; its container was removed unwaited.</summary>
    Abandoned = 8,
}

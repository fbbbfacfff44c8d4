namespace Orchestrator.Processes;

/// <summary>How a container run ended.</summary>
public enum ContainerRunOutcome
{
    /// <summary>The container ran and exited; see the exit code.</summary>
    Exited,

    /// <summary>The image was not present locally and could not be pulled.</summary>
    PullFailed,

    /// <summary>
    /// The engine refused to create or start the container (e.g. the command's executable does not exist in the
    /// image): a problem of the process definition or the image.
    /// </summary>
    StartFailed,

    /// <summary>The engine answered an operation on a started container with an error (e.g. it was removed meanwhile).</summary>
    EngineError,

    /// <summary>The engine could not be reached or stopped answering; the error names the endpoint.</summary>
    EngineUnavailable,

    /// <summary>
    /// The deadline passed: the container was stopped (SIGTERM, then SIGKILL after the grace period); the exit code
    /// is the one the stop produced.
    /// </summary>
    TimedOut,

    /// <summary>
    /// The attempt's container is gone: an adopted attempt has none, or it was removed (or lost in an engine
    /// restart) while it was waited on.
    /// </summary>
    Vanished,
}

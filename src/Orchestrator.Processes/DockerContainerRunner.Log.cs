using Microsoft.Extensions.Logging;

namespace Orchestrator.Processes;

/// <summary>The runner's log messages.</summary>
public sealed partial class DockerContainerRunner
{
    [LoggerMessage(1, LogLevel.Debug, "Container {ContainerId} created for job {JobId} attempt {Attempt}")]
    private static partial void LogCreated(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(2, LogLevel.Debug, "Container {ContainerId} of job {JobId} attempt {Attempt} exited with {ExitCode} after {ElapsedMs} ms")]
    private static partial void LogExited(ILogger logger, string containerId, string jobId, int attempt, long exitCode, long elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId} attempt {Attempt} could not run: {Outcome}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string jobId, int attempt, ContainerRunOutcome outcome);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} attempt {Attempt} cancelled before its container {ContainerId} started; removing it")]
    private static partial void LogCancelledBeforeStart(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(5, LogLevel.Warning, "The output of container {ContainerId} could not be read to its end")]
    private static partial void LogOutputIncomplete(ILogger logger, Exception exception, string containerId);

    [LoggerMessage(8, LogLevel.Information, "Job {JobId} attempt {Attempt} cancelled; no longer waiting for container {ContainerId}, which keeps running")]
    private static partial void LogDetached(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(9, LogLevel.Information, "Adopting the existing container {ContainerName} of job {JobId} attempt {Attempt}")]
    private static partial void LogAdopting(ILogger logger, string containerName, string jobId, int attempt);

    [LoggerMessage(12, LogLevel.Information, "Resuming job {JobId} attempt {Attempt}: looking for its container")]
    private static partial void LogResuming(ILogger logger, string jobId, int attempt);

    [LoggerMessage(10, LogLevel.Warning, "Job {JobId} attempt {Attempt} has no container: {Reason}")]
    private static partial void LogVanished(ILogger logger, string jobId, int attempt, string reason);

    [LoggerMessage(11, LogLevel.Information, "Stopping container {ContainerId} of job {JobId} attempt {Attempt} (SIGTERM, SIGKILL after {GraceSeconds} s)")]
    private static partial void LogStopping(ILogger logger, string containerId, string jobId, int attempt, uint graceSeconds);
}

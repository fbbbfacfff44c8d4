using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Processes;

/// <summary>Waiting for a started container to end, and the result it ends with.</summary>
public sealed partial class DockerContainerRunner
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for the container (stopping it at the request's deadline), collects its output, and makes the
    /// result: exited, timed out, or vanished when the container was removed meanwhile. The container stays: its
    /// job removes it (<see cref="RemoveAsync"/>) once the result is recorded, so a crash in between leaves it to
    /// be adopted. Throws what the engine throws (a container not found while waited for is reported vanished), and
    /// on cancellation.
    /// </summary>
    private async Task<ContainerRunResult> FinishAsync(
        ContainerRunRequest request, WaitedContainer waited, CancellationToken cancellationToken)
    {
        var containerId = waited.ContainerId;
        ContainerExit? exit;
        try
        {
            exit = await _exits.WaitAsync(containerId, request, waited.ContainerStartedAt, cancellationToken);
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            exit = null;
        }

        var output = await waited.CollectOutput(cancellationToken);
        var result = new ContainerRunResult
        {
            Outcome = exit?.TimedOut == true ? ContainerRunOutcome.TimedOut : ContainerRunOutcome.Exited,
            Image = request.Process.Image,
            ContainerId = containerId,
            StartedAt = waited.StartedAt,
            FinishedAt = _clock.GetUtcNow(),
            ExitCode = exit?.ExitCode,
            Error = exit?.Error,
            StdoutTail = output.Stdout.ToString(),
            StderrTail = output.Stderr.ToString(),
            LogsTruncated = !output.Complete,
        };
        if (exit is null || await _attempts.IsGoneAsync(containerId, cancellationToken))
        {
            var vanished = RemovedWhileWaited(request, result.StartedAt, containerId);
            return vanished with { StdoutTail = result.StdoutTail, StderrTail = result.StderrTail, LogsTruncated = result.LogsTruncated };
        }

        var elapsedMs = (long)(result.FinishedAt - waited.ContainerStartedAt).TotalMilliseconds;
        LogExited(_logger, containerId, request.JobId, request.Attempt, exit.ExitCode, elapsedMs);
        return result;
    }

    /// <summary>The result of a run whose container was removed (or lost) while it was waited on.</summary>
    private ContainerRunResult RemovedWhileWaited(ContainerRunRequest request, DateTimeOffset startedAt, string containerId) =>
        Vanished(request, startedAt, containerId, $"the container {containerId} of attempt {request.Attempt} of job {request.JobId} was removed while it was waited on");

    /// <summary>
    /// The attached output once the container has exited: its stream closes right after. A stream that stays open
    /// past <see cref="OutputGrace"/> is closed and the tails read so far are kept; a broken one loses the rest of
    /// the tails, not the exit code.
    /// </summary>
    private async Task<ContainerOutput> FinishReadingAsync(
        Task<ContainerOutput> reading, MultiplexedStream stream, string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await reading.WaitAsync(OutputGrace, cancellationToken);
        }
        catch (TimeoutException)
        {
            stream.Dispose();
        }

        return Reported(await reading, containerId);
    }

    /// <summary>
    /// The tails of what the engine kept of an exited container's log (at most its log configuration's size).
    /// Throws what the engine throws, "not found" included.
    /// </summary>
    private async Task<ContainerOutput> ReadLogsAsync(string containerId, CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true };
        using var stream = await _engine.Client.Containers.GetContainerLogsAsync(containerId, parameters, cancellationToken);
        return Reported(await ContainerOutput.ReadAsync(stream, _options.LogTailBytes, cancellationToken), containerId);
    }

    private ContainerOutput Reported(ContainerOutput output, string containerId)
    {
        if (output.Failure is { } failure)
        {
            LogOutputIncomplete(_logger, failure, containerId);
        }

        return output;
    }

    /// <summary>A started container being waited for.</summary>
    /// <param name="ContainerId">The container.</param>
    /// <param name="CollectOutput">Its tails once it has exited: the rest of its attached output, or its logs read back.</param>
    /// <param name="StartedAt">When the run began, for the result.</param>
    /// <param name="ContainerStartedAt">When the container started, to say how long it ran.</param>
    private sealed record WaitedContainer(
        string ContainerId, Func<CancellationToken, Task<ContainerOutput>> CollectOutput, DateTimeOffset StartedAt, DateTimeOffset ContainerStartedAt);
}

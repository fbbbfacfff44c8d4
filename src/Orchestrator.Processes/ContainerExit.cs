using System.Globalization;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Processes;

/// <summary>How a waited-for container ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Error">Why the run failed when the exit code does not say it (the timeout, an engine error); null otherwise.</param>
/// <param name="TimedOut">True when the deadline passed and the runner stopped it.</param>
internal sealed record ContainerExit(long ExitCode, string? Error, bool TimedOut);

/// <summary>
/// Waits for a container to exit, honouring the request's deadline: at the deadline the container is stopped
/// (SIGTERM, then SIGKILL after the grace) and the exit the stop produced is reported as a timeout.
/// </summary>
internal sealed partial class ContainerExitWaiter(DockerEngine engine, AttemptContainers attempts, TimeProvider clock, ILogger<ContainerExitWaiter> logger)
{
    /// <summary>The longest single timer; a farther deadline is waited for in several steps.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(30);

    /// <summary>SIGKILL's exit status: what a container the engine had to kill reports.</summary>
    private const long KilledExitCode = 128 + 9;

    /// <summary>
    /// Waits for <paramref name="containerId"/> to exit. <paramref name="containerStartedAt"/> is when it started, to
    /// say how long it ran before it timed out. Throws what the engine throws, and on cancellation.
    /// </summary>
    public async Task<ContainerExit> WaitAsync(
        string containerId, ContainerRunRequest request, DateTimeOffset containerStartedAt, CancellationToken cancellationToken)
    {
        var waiting = engine.Client.Containers.WaitContainerAsync(containerId, cancellationToken);
        if (request.Deadline is not { } deadline || !await DeadlinePassesFirstAsync(waiting, deadline, cancellationToken))
        {
            return Exited(await waiting);
        }

        var grace = AttemptContainers.GraceSeconds(request.StopGrace);
        LogTimedOut(logger, containerId, request.JobId, request.Attempt, deadline, grace);
        var stopped = await attempts.StopAsync(containerId, request.StopGrace, cancellationToken);
        var exit = await waiting;
        if (!stopped)
        {
            // It exited on its own just as the deadline passed.
            return Exited(exit);
        }

        var ran = TimeSpan.FromSeconds(Math.Max(0, Math.Round((deadline - containerStartedAt).TotalSeconds)));
        var how = exit.StatusCode == KilledExitCode
            ? $"SIGTERM, killed after {grace} s grace"
            : $"exited on SIGTERM with code {exit.StatusCode} within {grace} s grace";
        var error = string.Create(CultureInfo.InvariantCulture, $"timed out after {ran:c}; stopped ({how})");
        return new ContainerExit(exit.StatusCode, error, TimedOut: true);
    }

    /// <summary>True when <paramref name="deadline"/> passes before <paramref name="waiting"/> ends.</summary>
    private async Task<bool> DeadlinePassesFirstAsync(Task waiting, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (deadline - clock.GetUtcNow() is var remaining && remaining > TimeSpan.Zero)
        {
            var delay = Task.Delay(remaining < LongestDelay ? remaining : LongestDelay, clock, timer.Token);
            if (await Task.WhenAny(waiting, delay) == waiting)
            {
                await timer.CancelAsync();
                return false;
            }

            await delay;
        }

        return !waiting.IsCompleted;
    }

    private static ContainerExit Exited(ContainerWaitResponse exit) => new(
        exit.StatusCode,
        exit.Error?.Message is { Length: > 0 } waitError ? $"waiting for the container failed: {waitError}" : null,
        TimedOut: false);

    [LoggerMessage(30, LogLevel.Warning, "Container {ContainerId} of job {JobId} attempt {Attempt} passed its deadline {Deadline}; stopping it (SIGTERM, SIGKILL after {GraceSeconds} s)")]
    private static partial void LogTimedOut(ILogger logger, string containerId, string jobId, int attempt, DateTimeOffset deadline, uint graceSeconds);
}

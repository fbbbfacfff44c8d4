using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Processes;

/// <summary>Adopting an attempt's existing container, and stopping one.</summary>
public sealed partial class DockerContainerRunner
{
    /// <summary>How long a container found created but not started may take to start before it counts as abandoned.</summary>
    private static readonly TimeSpan StartSettle = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public Task<ContainerRunResult> ResumeAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Process);
        LogResuming(_logger, request.JobId, request.Attempt);
        return AdoptAsync(request, name: null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> StopAsync(string jobId, int attempt, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        try
        {
            if (await _attempts.FindAsync(jobId, attempt, runningOnly: true, cancellationToken) is not { } container)
            {
                return false;
            }

            LogStopping(_logger, container.ID, jobId, attempt, AttemptContainers.GraceSeconds(grace));
            return await _attempts.StopAsync(container.ID, grace, cancellationToken);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e, cancellationToken))
        {
            throw new ContainerEngineUnavailableException(_engine.Endpoint, e);
        }
    }

    /// <summary>
    /// Adopts the attempt's container, named <paramref name="name"/> or else found by its labels (or the attempt's
    /// name): follows it while it runs, or collects what it left when it has exited.
    /// </summary>
    private async Task<ContainerRunResult> AdoptAsync(ContainerRunRequest request, string? name, CancellationToken cancellationToken)
    {
        var resumedAt = _clock.GetUtcNow();
        string? containerId = null;
        ContainerWaiters.Lease? lease = null;
        var doing = "looking for the attempt's container";
        try
        {
            var reference = name
                ?? (await _attempts.FindAsync(request.JobId, request.Attempt, runningOnly: false, cancellationToken))?.ID
                ?? ContainerNames.For(_options.Scope, request.JobId, request.Attempt);
            doing = "inspecting the container";
            var container = await InspectAsync(reference, cancellationToken)
                ?? (name is null ? null : await AwaitCreatedAsync(name, cancellationToken));
            if (container is null)
            {
                return Vanished(request, resumedAt, null, $"attempt {request.Attempt} of job {request.JobId} has no container; it was removed or lost with the engine");
            }

            containerId = container.ID;
            lease = _waiters.Enter(containerId);
            container = await AwaitStartAsync(container, cancellationToken);
            if (container is null)
            {
                await _attempts.RemoveAsync(containerId);
                return Vanished(request, resumedAt, containerId, $"the container {containerId} of attempt {request.Attempt} of job {request.JobId} was created but never started; it was removed");
            }

            var state = container.State ?? new State();
            var startedAt = EngineTime(state.StartedAt) ?? resumedAt;
            switch (state.Status)
            {
                case "removing" or "dead":
                    return Vanished(request, resumedAt, containerId, $"the container {containerId} of attempt {request.Attempt} of job {request.JobId} is being removed");
                case "exited":
                    doing = "reading the container's logs";
                    return await CollectExitedAsync(request, container.ID, state, startedAt, cancellationToken);
                default:
                    // Its logs are read back once it has exited, not followed: the engine (20.10) ends a followed
                    // log at a rotation before the last lines, and a bounded log rotates.
                    doing = "waiting for the container";
                    var waited = new WaitedContainer(containerId, ct => ReadLogsAsync(containerId, ct), startedAt, startedAt);
                    return await FinishAsync(request, waited, cancellationToken);
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            if (containerId is not null)
            {
                LogDetached(_logger, containerId, request.JobId, request.Attempt);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new OperationCanceledException("The container run was cancelled.", e, cancellationToken);
        }
        catch (DockerApiException e)
        {
            if (containerId is not null && await _attempts.IsGoneAfterFailureAsync(containerId))
            {
                LogRunFailed(_logger, e, request.JobId, request.Attempt, ContainerRunOutcome.Vanished);
                return RemovedWhileWaited(request, resumedAt, containerId);
            }

            LogRunFailed(_logger, e, request.JobId, request.Attempt, ContainerRunOutcome.EngineError);
            await RemoveIfAskedAsync(request, containerId, lease);
            return Ended(request, resumedAt, ContainerRunOutcome.EngineError, $"{doing} failed: {EngineMessages.Reason(e)}", containerId);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e, cancellationToken))
        {
            var unavailable = new ContainerEngineUnavailableException(_engine.Endpoint, e);
            LogRunFailed(_logger, unavailable, request.JobId, request.Attempt, ContainerRunOutcome.EngineUnavailable);
            return Ended(request, resumedAt, ContainerRunOutcome.EngineUnavailable, $"{doing} failed: {unavailable.Message}", containerId);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>
    /// The container once it has started. One just created by another call is about to be: wait for that, up to
    /// <see cref="StartSettle"/>. Null when it is still not started then (its creator died before starting it).
    /// </summary>
    private async Task<ContainerInspectResponse?> AwaitStartAsync(ContainerInspectResponse container, CancellationToken cancellationToken)
    {
        var since = _clock.GetTimestamp();
        while (container.State?.Status == "created")
        {
            var age = _clock.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(container.Created, DateTimeKind.Utc));
            if (age > StartSettle || _clock.GetElapsedTime(since) > StartSettle)
            {
                return null;
            }

            await Task.Delay(StartPoll, _clock, cancellationToken);
            container = await _engine.Client.Containers.InspectContainerAsync(container.ID, cancellationToken);
        }

        return container;
    }

    /// <summary>
    /// The container <paramref name="name"/> once its creation, which holds the name before the container can be
    /// inspected, has completed; null when it still cannot be inspected after <see cref="StartSettle"/> (its
    /// creation failed).
    /// </summary>
    private async Task<ContainerInspectResponse?> AwaitCreatedAsync(string name, CancellationToken cancellationToken)
    {
        var since = _clock.GetTimestamp();
        ContainerInspectResponse? container = null;
        while (container is null && _clock.GetElapsedTime(since) < StartSettle)
        {
            await Task.Delay(StartPoll, _clock, cancellationToken);
            container = await InspectAsync(name, cancellationToken);
        }

        return container;
    }

    /// <summary>What an exited container left: its exit code and end time, and the tails of its logs.</summary>
    private async Task<ContainerRunResult> CollectExitedAsync(
        ContainerRunRequest request, string containerId, State state, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var output = await ReadLogsAsync(containerId, cancellationToken);
        // The engine may record a quick container's end before its start: the end is never earlier.
        var ended = EngineTime(state.FinishedAt) ?? _clock.GetUtcNow();
        var finishedAt = ended > startedAt ? ended : startedAt;
        LogExited(_logger, containerId, request.JobId, request.Attempt, state.ExitCode, (long)(finishedAt - startedAt).TotalMilliseconds);
        return new ContainerRunResult
        {
            Outcome = ContainerRunOutcome.Exited,
            Image = request.Process.Image,
            ContainerId = containerId,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            ExitCode = state.ExitCode,
            Error = state.Error is { Length: > 0 } error ? $"the engine reported: {error}" : null,
            StdoutTail = output.Stdout.ToString(),
            StderrTail = output.Stderr.ToString(),
            LogsTruncated = !output.Complete,
        };
    }

    /// <summary>The container named or identified by <paramref name="reference"/>; null when there is none.</summary>
    private async Task<ContainerInspectResponse?> InspectAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await _engine.Client.Containers.InspectContainerAsync(reference, cancellationToken);
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return null;
        }
    }

    private ContainerRunResult Vanished(ContainerRunRequest request, DateTimeOffset startedAt, string? containerId, string error)
    {
        LogVanished(_logger, request.JobId, request.Attempt, error);
        return Ended(request, startedAt, ContainerRunOutcome.Vanished, error, containerId);
    }

    /// <summary>A time the engine reports (RFC 3339); null when absent or zero (never happened).</summary>
    private static DateTimeOffset? EngineTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1
            ? time
            : null;
}

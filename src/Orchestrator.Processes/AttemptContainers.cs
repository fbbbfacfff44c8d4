using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Processes;

/// <summary>
/// The containers of a job's attempts, found by their labels: the one of an attempt, leftovers of earlier attempts,
/// and the operations that end them (stop, remove).
/// </summary>
internal sealed partial class AttemptContainers(DockerEngine engine, string scope, ILogger<AttemptContainers> logger)
{
    private const int RemovalChecks = 25;
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RemovalCheckInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The container of attempt <paramref name="attempt"/> of <paramref name="jobId"/> (a running one when
    /// <paramref name="runningOnly"/>), or null. Should there be several, a running one, else the newest.
    /// </summary>
    public async Task<ContainerListResponse?> FindAsync(string jobId, int attempt, bool runningOnly, CancellationToken cancellationToken)
    {
        var found = await ListAsync(jobId, attempt, all: !runningOnly, cancellationToken);
        return found
            .OrderByDescending(container => container.State == "running")
            .ThenByDescending(container => container.Created)
            .FirstOrDefault();
    }

    /// <summary>
    /// Removes, killing them when running, the containers of <paramref name="request"/>'s job that belong to another
    /// attempt, so that a job never has two containers. Best effort: failures are logged, not thrown.
    /// </summary>
    public async Task RemoveOtherAttemptsAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> containers;
        try
        {
            containers = await ListAsync(request.JobId, attempt: null, all: true, cancellationToken);
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, cancellationToken))
        {
            LogLeftoversUnknown(logger, e, request.JobId);
            return;
        }

        var current = request.Attempt.ToString(CultureInfo.InvariantCulture);
        foreach (var container in containers)
        {
            string? attempt = null;
            if (container.Labels?.TryGetValue(ContainerLabels.Attempt, out attempt) == true && attempt == current)
            {
                continue;
            }

            LogRemovingLeftover(logger, container.ID, request.JobId, attempt, request.Attempt);
            await RemoveAsync(container.ID);
        }
    }

    /// <summary>Removes every container of attempt <paramref name="attempt"/> of <paramref name="jobId"/>; best effort, logged.</summary>
    public async Task RemoveAttemptAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> containers;
        try
        {
            containers = await ListAsync(jobId, attempt, all: true, cancellationToken);
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, cancellationToken))
        {
            LogAttemptUnknown(logger, e, jobId, attempt);
            return;
        }

        foreach (var container in containers)
        {
            await RemoveAsync(container.ID);
        }
    }

    /// <summary>
    /// Stops <paramref name="containerId"/>: SIGTERM, then SIGKILL after <paramref name="grace"/> (whole seconds,
    /// rounded up). False when it was not running or is gone.
    /// </summary>
    public async Task<bool> StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = GraceSeconds(grace) };
        try
        {
            return await engine.Client.Containers.StopContainerAsync(containerId, parameters, cancellationToken);
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>
    /// True unless the engine says <paramref name="containerId"/> was never started (or is gone); when the engine
    /// does not answer, true: a container left behind is adopted or removed later, a started one must not be lost.
    /// </summary>
    public async Task<bool> HasStartedAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            var container = await engine.Client.Containers.InspectContainerAsync(containerId, timeout.Token);
            return container.State?.Status != "created";
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return false;
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, CancellationToken.None))
        {
            return true;
        }
    }

    /// <summary>
    /// True when <paramref name="containerId"/> is gone or going (being removed, or dead). Removing a container kills
    /// it first, so a wait on it ends with an exit code all the same; only this tells the two apart.
    /// </summary>
    public async Task<bool> IsGoneAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var container = await engine.Client.Containers.InspectContainerAsync(containerId, cancellationToken);
            return container.State?.Status is "removing" or "dead";
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return true;
        }
    }

    /// <summary>
    /// As <see cref="IsGoneAsync"/>, after an operation on the container failed: false when the engine does not say.
    /// A container being removed still shows as running until its kill completes, so a running one is asked about
    /// again for a few seconds.
    /// </summary>
    public async Task<bool> IsGoneAfterFailureAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            for (var asked = 1; ; asked++)
            {
                var container = await engine.Client.Containers.InspectContainerAsync(containerId, timeout.Token);
                var status = container.State?.Status;
                if (status is "removing" or "dead")
                {
                    return true;
                }

                if (status != "running" || asked == RemovalChecks)
                {
                    return false;
                }

                await Task.Delay(RemovalCheckInterval, timeout.Token);
            }
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return true;
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, CancellationToken.None))
        {
            return false;
        }
    }

    /// <summary>Kills (when running) and removes the container with its volumes; best effort, never throws.</summary>
    public async Task RemoveAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            var parameters = new ContainerRemoveParameters { Force = true, RemoveVolumes = true };
            await engine.Client.Containers.RemoveContainerAsync(containerId, parameters, timeout.Token);
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            LogAlreadyRemoved(logger, containerId);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // 409: a removal is already in progress.
            LogAlreadyRemoved(logger, containerId);
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, CancellationToken.None))
        {
            LogRemoveFailed(logger, e, containerId);
        }
    }

    /// <summary>The job ids of this deployment's containers that are not running.</summary>
    public async Task<IReadOnlyList<string>> JobsWithStoppedContainersAsync(CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Managed}=true"] = true, [$"{ContainerLabels.Scope}={scope}"] = true },
                ["status"] = new Dictionary<string, bool> { ["exited"] = true, ["created"] = true, ["dead"] = true },
            },
        };
        try
        {
            var containers = await engine.Client.Containers.ListContainersAsync(parameters, cancellationToken);
            return containers
                .Select(c => c.Labels.TryGetValue(ContainerLabels.JobId, out var jobId) ? jobId : null)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e, cancellationToken))
        {
            throw new ContainerEngineUnavailableException(engine.Endpoint, e);
        }
    }

    /// <summary>The grace in whole seconds, rounded up, as the engine takes it.</summary>
    public static uint GraceSeconds(TimeSpan grace) =>
        (uint)Math.Clamp(Math.Ceiling(grace.TotalSeconds), 0, int.MaxValue);

    private async Task<IList<ContainerListResponse>> ListAsync(string jobId, int? attempt, bool all, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool>
        {
            [$"{ContainerLabels.Managed}=true"] = true,
            [$"{ContainerLabels.Scope}={scope}"] = true,
            [$"{ContainerLabels.JobId}={jobId}"] = true,
        };
        if (attempt is { } number)
        {
            labels[string.Create(CultureInfo.InvariantCulture, $"{ContainerLabels.Attempt}={number}")] = true;
        }

        var parameters = new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        };
        return await engine.Client.Containers.ListContainersAsync(parameters, cancellationToken);
    }

    [LoggerMessage(20, LogLevel.Warning, "Container {ContainerId} of job {JobId} attempt {LeftoverAttempt} is left over; removing it before attempt {Attempt}")]
    private static partial void LogRemovingLeftover(ILogger logger, string containerId, string jobId, string? leftoverAttempt, int attempt);

    [LoggerMessage(21, LogLevel.Warning, "The containers of earlier attempts of job {JobId} could not be listed; none removed")]
    private static partial void LogLeftoversUnknown(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(24, LogLevel.Warning, "The containers of job {JobId} attempt {Attempt} could not be listed; none removed")]
    private static partial void LogAttemptUnknown(ILogger logger, Exception exception, string jobId, int attempt);

    [LoggerMessage(22, LogLevel.Debug, "Container {ContainerId} was already removed")]
    private static partial void LogAlreadyRemoved(ILogger logger, string containerId);

    [LoggerMessage(23, LogLevel.Warning, "Container {ContainerId} could not be removed")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string containerId);
}

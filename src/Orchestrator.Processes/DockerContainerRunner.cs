using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>
/// Runs an attempt as a container: pulls the image when it is missing, removes containers left by the job's other
/// attempts, creates the container under the attempt's name (adopting it when it exists already) with the
/// process's argv and labels naming the job, copies the event document in, starts it, waits until it exits or its
/// deadline passes, keeps bounded log tails, and removes the container when the process asks for it. Every failure
/// becomes a result with a reason; only cancellation throws, and it leaves a started container running.
/// </summary>
public sealed partial class DockerContainerRunner : IContainerRunner
{
    private readonly DockerEngine _engine;
    private readonly ContainerEngineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ImagePuller _images;
    private readonly AttemptContainers _attempts;
    private readonly ContainerExitWaiter _exits;
    private readonly ContainerWaiters _waiters = new();
    private readonly ILogger<DockerContainerRunner> _logger;

    /// <summary>Creates the runner over the shared <paramref name="engine"/>.</summary>
    public DockerContainerRunner(
        DockerEngine engine,
        IOptions<ContainerEngineOptions> options,
        TimeProvider clock,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _engine = engine;
        _options = options.Value;
        _clock = clock;
        _images = new ImagePuller(engine, loggerFactory.CreateLogger<ImagePuller>());
        _attempts = new AttemptContainers(engine, _options.Scope, loggerFactory.CreateLogger<AttemptContainers>());
        _exits = new ContainerExitWaiter(engine, _attempts, clock, loggerFactory.CreateLogger<ContainerExitWaiter>());
        _logger = loggerFactory.CreateLogger<DockerContainerRunner>();
    }

    /// <inheritdoc />
    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Process);
        var image = request.Process.Image;
        var containers = _engine.Client.Containers;
        var startedAt = _clock.GetUtcNow();
        string? containerId = null;
        ContainerWaiters.Lease? lease = null;
        var startRequested = false;
        var (failure, doing) = (ContainerRunOutcome.PullFailed, $"pulling image '{image}'");
        try
        {
            if (await _images.EnsurePresentAsync(image, cancellationToken) is { } pullError)
            {
                return Ended(request, startedAt, ContainerRunOutcome.PullFailed, pullError, containerId: null);
            }

            (failure, doing) = (ContainerRunOutcome.StartFailed, "creating the container");
            await _attempts.RemoveOtherAttemptsAsync(request, cancellationToken);
            containerId = await CreateAsync(ContainerSpec.Create(request, _options), cancellationToken);
            if (containerId is null)
            {
                var name = ContainerNames.For(_options.Scope, request.JobId, request.Attempt);
                LogAdopting(_logger, name, request.JobId, request.Attempt);
                return await AdoptAsync(request, name, cancellationToken);
            }

            lease = _waiters.Enter(containerId);
            LogCreated(_logger, containerId, request.JobId, request.Attempt);

            doing = "copying the event into the container";
            await using (var archive = await EventArchive.CreateAsync(_options.EventFilePath, request.EventJson, cancellationToken))
            {
                await containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = "/" }, archive, cancellationToken);
            }

            doing = "attaching to the container's output";
            var attach = new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true };
            using var stream = await containers.AttachContainerAsync(containerId, attach, cancellationToken);
            var reading = ContainerOutput.ReadAsync(stream, _options.LogTailBytes, cancellationToken);

            doing = "starting the container";
            startRequested = true;
            await containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);

            (failure, doing) = (ContainerRunOutcome.EngineError, "waiting for the container");
            var waited = new WaitedContainer(containerId, ct => FinishReadingAsync(reading, stream, containerId, ct), startedAt, _clock.GetUtcNow());
            return await FinishAsync(request, waited, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            if (containerId is not null)
            {
                await AbandonAsync(request, containerId, startRequested);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            // The transport may report the abort as an I/O error: the caller still sees a cancellation.
            throw new OperationCanceledException("The container run was cancelled.", e, cancellationToken);
        }
        catch (DockerApiException e)
        {
            if (failure == ContainerRunOutcome.EngineError && containerId is not null && await _attempts.IsGoneAfterFailureAsync(containerId))
            {
                LogRunFailed(_logger, e, request.JobId, request.Attempt, ContainerRunOutcome.Vanished);
                return RemovedWhileWaited(request, startedAt, containerId);
            }

            var error = $"{doing} failed: {EngineMessages.Reason(e)}";
            LogRunFailed(_logger, e, request.JobId, request.Attempt, failure);
            await RemoveIfAskedAsync(request, containerId, lease);
            return Ended(request, startedAt, failure, error, containerId);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e, cancellationToken))
        {
            var unavailable = new ContainerEngineUnavailableException(_engine.Endpoint, e);
            LogRunFailed(_logger, unavailable, request.JobId, request.Attempt, ContainerRunOutcome.EngineUnavailable);
            await RemoveIfAskedAsync(request, containerId, lease);
            return Ended(request, startedAt, ContainerRunOutcome.EngineUnavailable, $"{doing} failed: {unavailable.Message}", containerId);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <inheritdoc />
    public Task RemoveAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return _attempts.RemoveAttemptAsync(jobId, attempt, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> JobsWithStoppedContainersAsync(CancellationToken cancellationToken) =>
        _attempts.JobsWithStoppedContainersAsync(cancellationToken);

    /// <summary>Creates the container; null when the attempt's name is taken, i.e. the attempt has its container already.</summary>
    private async Task<string?> CreateAsync(CreateContainerParameters spec, CancellationToken cancellationToken)
    {
        try
        {
            return (await _engine.Client.Containers.CreateContainerAsync(spec, cancellationToken)).ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    private ContainerRunResult Ended(
        ContainerRunRequest request, DateTimeOffset startedAt, ContainerRunOutcome outcome, string error, string? containerId) => new()
    {
        Outcome = outcome,
        Image = request.Process.Image,
        ContainerId = containerId,
        StartedAt = startedAt,
        FinishedAt = _clock.GetUtcNow(),
        Error = error,
    };

    /// <summary>
    /// After a cancellation: a container that started keeps running, for a later <see cref="ResumeAsync"/> to adopt;
    /// one that did not is removed. When the start was requested but its answer not received, the engine says which.
    /// </summary>
    private async Task AbandonAsync(ContainerRunRequest request, string containerId, bool startRequested)
    {
        if (startRequested && await _attempts.HasStartedAsync(containerId))
        {
            LogDetached(_logger, containerId, request.JobId, request.Attempt);
            return;
        }

        LogCancelledBeforeStart(_logger, containerId, request.JobId, request.Attempt);
        await _attempts.RemoveAsync(containerId);
    }

    /// <summary>
    /// Removes the container when the process asks for it and no other run of this process still waits on it (that
    /// one removes it when it is done).
    /// </summary>
    private async Task RemoveIfAskedAsync(ContainerRunRequest request, string? containerId, ContainerWaiters.Lease? lease)
    {
        var last = lease?.Release() ?? true;
        if (containerId is not null && request.Process.RemoveContainers && last)
        {
            await _attempts.RemoveAsync(containerId);
        }
    }
}

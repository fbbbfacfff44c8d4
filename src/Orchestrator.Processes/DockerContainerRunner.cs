using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>
/// Runs an attempt as a container: pulls the image when it is missing, creates the container with the process's
/// argv and labels naming the job, copies the event document in, starts it, waits, keeps bounded log tails, and
/// removes the container when the process asks for it. Every failure becomes a result with a reason; only
/// cancellation throws, after killing and removing the container.
/// </summary>
public sealed partial class DockerContainerRunner : IContainerRunner
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(30);
    private readonly DockerEngine _engine;
    private readonly ContainerEngineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ImagePuller _images;
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
        var elapsed = Stopwatch.StartNew();
        string? containerId = null;
        var (failure, doing) = (ContainerRunOutcome.PullFailed, $"pulling image '{image}'");
        try
        {
            if (await _images.EnsurePresentAsync(image, cancellationToken) is { } pullError)
            {
                return Ended(request, startedAt, ContainerRunOutcome.PullFailed, pullError, containerId: null);
            }

            (failure, doing) = (ContainerRunOutcome.StartFailed, "creating the container");
            containerId = (await containers.CreateContainerAsync(ContainerSpec.Create(request, _options), cancellationToken)).ID;
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
            await containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);

            (failure, doing) = (ContainerRunOutcome.EngineError, "waiting for the container");
            var exit = await containers.WaitContainerAsync(containerId, cancellationToken);
            var output = await FinishReadingAsync(reading, stream, containerId, cancellationToken);
            var result = new ContainerRunResult
            {
                Outcome = ContainerRunOutcome.Exited,
                Image = image,
                ContainerId = containerId,
                StartedAt = startedAt,
                FinishedAt = _clock.GetUtcNow(),
                ExitCode = exit.StatusCode,
                Error = exit.Error?.Message is { Length: > 0 } waitError ? $"{doing} failed: {waitError}" : null,
                StdoutTail = output.Stdout.ToString(),
                StderrTail = output.Stderr.ToString(),
                LogsTruncated = !output.Complete,
            };
            LogExited(_logger, containerId, request.JobId, request.Attempt, exit.StatusCode, elapsed.ElapsedMilliseconds);
            await RemoveIfAskedAsync(request, containerId);
            return result;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            if (containerId is not null)
            {
                LogCancelled(_logger, containerId, request.JobId, request.Attempt);
                await RemoveAsync(containerId);
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
            var error = $"{doing} failed: {EngineMessages.Reason(e)}";
            LogRunFailed(_logger, e, request.JobId, request.Attempt, failure);
            await RemoveIfAskedAsync(request, containerId);
            return Ended(request, startedAt, failure, error, containerId);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e, cancellationToken))
        {
            var unavailable = new ContainerEngineUnavailableException(_engine.Endpoint, e);
            LogRunFailed(_logger, unavailable, request.JobId, request.Attempt, ContainerRunOutcome.EngineUnavailable);
            await RemoveIfAskedAsync(request, containerId);
            return Ended(request, startedAt, ContainerRunOutcome.EngineUnavailable, $"{doing} failed: {unavailable.Message}", containerId);
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
    /// The output once the container has exited: its stream closes right after. A stream that stays open past
    /// <see cref="OutputGrace"/> is closed and the tails read so far are kept; a broken one loses the rest of the
    /// tails, not the exit code.
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

        var output = await reading;
        if (output.Failure is { } failure)
        {
            LogOutputIncomplete(_logger, failure, containerId);
        }

        return output;
    }

    private async Task RemoveIfAskedAsync(ContainerRunRequest request, string? containerId)
    {
        if (containerId is not null && request.Process.RemoveContainers)
        {
            await RemoveAsync(containerId);
        }
    }

    /// <summary>Kills (when running) and removes the container with its volumes; best effort, never throws.</summary>
    private async Task RemoveAsync(string containerId)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            var parameters = new ContainerRemoveParameters { Force = true, RemoveVolumes = true };
            await _engine.Client.Containers.RemoveContainerAsync(containerId, parameters, timeout.Token);
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            LogAlreadyRemoved(_logger, containerId);
        }
        catch (Exception e) when (e is DockerApiException || DockerEngine.IsUnreachable(e, CancellationToken.None))
        {
            LogRemoveFailed(_logger, e, containerId);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Container {ContainerId} created for job {JobId} attempt {Attempt}")]
    private static partial void LogCreated(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(2, LogLevel.Debug, "Container {ContainerId} of job {JobId} attempt {Attempt} exited with {ExitCode} after {ElapsedMs} ms")]
    private static partial void LogExited(ILogger logger, string containerId, string jobId, int attempt, long exitCode, long elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId} attempt {Attempt} could not run: {Outcome}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string jobId, int attempt, ContainerRunOutcome outcome);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} attempt {Attempt} cancelled; killing and removing container {ContainerId}")]
    private static partial void LogCancelled(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(5, LogLevel.Warning, "The output of container {ContainerId} could not be read to its end")]
    private static partial void LogOutputIncomplete(ILogger logger, Exception exception, string containerId);

    [LoggerMessage(6, LogLevel.Debug, "Container {ContainerId} was already removed")]
    private static partial void LogAlreadyRemoved(ILogger logger, string containerId);

    [LoggerMessage(7, LogLevel.Warning, "Container {ContainerId} could not be removed")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string containerId);
}

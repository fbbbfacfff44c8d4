using System.Formats.Tar;
using System.Globalization;
using System.Net;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>
/// Runs an attempt as a container: pulls the image when it is missing, creates the container with the process's
/// argv and labels naming the job, copies the event document in, starts it, waits, keeps bounded log tails, and
/// removes it. Every failure becomes a result with a reason; only cancellation throws.
/// </summary>
public sealed partial class DockerContainerRunner(
    DockerEngine engine,
    IOptions<ContainerEngineOptions> options,
    TimeProvider clock,
    ILogger<DockerContainerRunner> logger) : IContainerRunner
{
    private readonly ContainerEngineOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var image = request.Process.Image;
        var startedAt = clock.GetUtcNow();
        ContainerRunResult Failed(ContainerRunOutcome outcome, string error, string? containerId = null) => new()
        {
            Outcome = outcome,
            Image = image,
            ContainerId = containerId,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Error = error,
        };

        try
        {
            if (await EnsureImageAsync(image, cancellationToken) is { } pullError)
            {
                return Failed(ContainerRunOutcome.PullFailed, pullError);
            }
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            return Failed(ContainerRunOutcome.EngineError, Describe(e));
        }

        string? containerId = null;
        try
        {
            containerId = (await engine.Client.Containers.CreateContainerAsync(CreateParameters(request), cancellationToken)).ID;
            LogCreated(logger, containerId, request.JobId, request.Attempt);
            await CopyEventAsync(containerId, request.EventJson, cancellationToken);
            await engine.Client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);
            var wait = await engine.Client.Containers.WaitContainerAsync(containerId, cancellationToken);
            var (stdout, stderr) = await ReadLogsAsync(containerId, cancellationToken);
            var result = new ContainerRunResult
            {
                Outcome = ContainerRunOutcome.Exited,
                Image = image,
                ContainerId = containerId,
                StartedAt = startedAt,
                FinishedAt = clock.GetUtcNow(),
                ExitCode = wait.StatusCode,
                Error = wait.Error?.Message is { Length: > 0 } waitError ? waitError : null,
                StdoutTail = stdout.ToString(),
                StderrTail = stderr.ToString(),
                LogsTruncated = stdout.Truncated || stderr.Truncated,
            };
            if (request.Process.RemoveContainers)
            {
                await RemoveAsync(containerId, CancellationToken.None);
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (containerId is not null)
            {
                await RemoveAsync(containerId, CancellationToken.None);
            }

            throw;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            LogEngineFailure(logger, e, request.JobId, request.Attempt);
            return Failed(ContainerRunOutcome.EngineError, Describe(e), containerId);
        }
    }

    private static bool IsEngineFailure(Exception e) => e is DockerApiException or HttpRequestException or IOException or TimeoutException;

    private string Describe(Exception e) => e switch
    {
        DockerApiException api => $"the Docker engine answered {(int)api.StatusCode}: {api.ResponseBody?.Trim()}",
        _ => $"the Docker engine at {engine.Endpoint} is unreachable: {e.Message}",
    };

    private async Task<string?> EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            LogPulling(logger, image);
        }

        string? reported = null;
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error?.Message is { Length: > 0 } message)
            {
                reported = message;
            }
        });
        try
        {
            await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image }, null, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            return $"pulling image '{image}' failed: {e.ResponseBody?.Trim() ?? e.Message}";
        }

        try
        {
            await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return $"pulling image '{image}' failed: {reported ?? "the engine reported no error, but the image is still missing"}";
        }
    }

    private CreateContainerParameters CreateParameters(ContainerRunRequest request)
    {
        var env = request.Process.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        env.Add($"ORCHESTRATOR_JOB_ID={request.JobId}");
        env.Add($"ORCHESTRATOR_ATTEMPT={request.Attempt.ToString(CultureInfo.InvariantCulture)}");
        env.Add($"ORCHESTRATOR_LINK_ID={request.LinkId}");
        env.Add($"ORCHESTRATOR_PROCESS_ID={request.ProcessId}");
        env.Add($"ORCHESTRATOR_EVENT_FILE={_options.EventFilePath}");
        if (Encoding.UTF8.GetByteCount(request.EventJson) <= _options.EventEnvironmentLimitBytes)
        {
            env.Add($"ORCHESTRATOR_EVENT={request.EventJson}");
        }

        var parameters = new CreateContainerParameters
        {
            Image = request.Process.Image,
            Env = env,
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = "true",
                [ContainerLabels.JobId] = request.JobId,
                [ContainerLabels.Attempt] = request.Attempt.ToString(CultureInfo.InvariantCulture),
                [ContainerLabels.LinkId] = request.LinkId,
                [ContainerLabels.ProcessId] = request.ProcessId,
            },
        };
        if (request.Process.Command.Count > 0)
        {
            parameters.Cmd = request.Process.Command.ToList();
        }

        if (request.Process.WorkingDirectory is { } workingDirectory)
        {
            parameters.WorkingDir = workingDirectory;
        }

        return parameters;
    }

    private async Task CopyEventAsync(string containerId, string eventJson, CancellationToken cancellationToken)
    {
        var path = _options.EventFilePath.TrimStart('/');
        using var archive = new MemoryStream();
        await using (var tar = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directory = Path.GetDirectoryName(path)?.Replace('\\', '/');
            if (!string.IsNullOrEmpty(directory))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = (UnixFileMode)0b111_101_101 }, cancellationToken);
            }

            var file = new PaxTarEntry(TarEntryType.RegularFile, path)
            {
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(eventJson)),
            };
            await tar.WriteEntryAsync(file, cancellationToken);
        }

        archive.Position = 0;
        await engine.Client.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = "/" }, archive, cancellationToken);
    }

    private async Task<(LogTail Stdout, LogTail Stderr)> ReadLogsAsync(string containerId, CancellationToken cancellationToken)
    {
        var stdout = new LogTail(_options.LogTailBytes);
        var stderr = new LogTail(_options.LogTailBytes);
        using var logs = await engine.Client.Containers.GetContainerLogsAsync(
            containerId,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = false },
            cancellationToken);
        var buffer = new byte[81920];
        while (true)
        {
            var read = await logs.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }

            (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Write(buffer.AsSpan(0, read.Count));
        }

        return (stdout, stderr);
    }

    private async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            LogRemoveFailed(logger, e, containerId);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Container {ContainerId} created for job {JobId} attempt {Attempt}")]
    private static partial void LogCreated(ILogger logger, string containerId, string jobId, int attempt);

    [LoggerMessage(2, LogLevel.Information, "Image {Image} is not present locally; pulling it")]
    private static partial void LogPulling(ILogger logger, string image);

    [LoggerMessage(3, LogLevel.Warning, "The Docker engine failed job {JobId} attempt {Attempt}")]
    private static partial void LogEngineFailure(ILogger logger, Exception exception, string jobId, int attempt);

    [LoggerMessage(4, LogLevel.Warning, "Container {ContainerId} could not be removed")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string containerId);
}

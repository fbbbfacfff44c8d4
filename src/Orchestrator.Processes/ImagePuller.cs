using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Processes;

/// <summary>
/// Makes sure an image is present locally, pulling it when it is not. A failed pull is a reason, not an exception:
/// the engine reports pull errors either as an error answer or as an error message inside the progress stream.
/// </summary>
internal sealed partial class ImagePuller(DockerEngine engine, ILogger<ImagePuller> logger)
{
    /// <summary>Null when the image is present (or was pulled); else why pulling it failed.</summary>
    public async Task<string?> EnsurePresentAsync(string image, CancellationToken cancellationToken)
    {
        if (await IsPresentAsync(image, cancellationToken))
        {
            return null;
        }

        LogPulling(logger, image);
        var progress = new PullProgress();
        try
        {
            await engine.Client.Images.CreateImageAsync(PullParameters(image), null, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            return Failed(image, EngineMessages.Reason(e));
        }

        if (progress.Error is { } reported)
        {
            return Failed(image, reported);
        }

        if (!await IsPresentAsync(image, cancellationToken))
        {
            return Failed(image, "the engine reported no error, but the image is still not present");
        }

        LogPulled(logger, image);
        return null;
    }

    /// <summary>
    /// The pull request for <paramref name="image"/>. A reference with neither tag nor digest gets "latest": the
    /// engine would otherwise pull every tag of the repository.
    /// </summary>
    internal static ImagesCreateParameters PullParameters(string image)
    {
        var name = image[(image.LastIndexOf('/') + 1)..];
        var qualified = name.Contains(':', StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal);
        return new ImagesCreateParameters { FromImage = image, Tag = qualified ? null : "latest" };
    }

    private async Task<bool> IsPresentAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (EngineMessages.IsNotFound(e))
        {
            return false;
        }
    }

    private string Failed(string image, string reason)
    {
        LogPullFailed(logger, image, reason);
        return $"pulling image '{image}' failed: {reason}";
    }

    [LoggerMessage(1, LogLevel.Information, "Image {Image} is not present locally; pulling it")]
    private static partial void LogPulling(ILogger logger, string image);

    [LoggerMessage(2, LogLevel.Information, "Image {Image} pulled")]
    private static partial void LogPulled(ILogger logger, string image);

    [LoggerMessage(3, LogLevel.Warning, "Pulling image {Image} failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string image, string reason);

    /// <summary>
    /// Records the first error of the pull's progress stream. Reports arrive synchronously, in order, before the
    /// pull's task completes (unlike <see cref="Progress{T}"/>, which posts them and may deliver them later).
    /// </summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (Error is null && value?.Error?.Message is { Length: > 0 } message)
            {
                Error = message;
            }
        }
    }
}

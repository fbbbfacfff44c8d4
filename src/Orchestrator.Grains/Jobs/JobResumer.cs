using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// Resumes jobs by id (<see cref="IJobGrain.ResumeAsync"/>), a bounded number at a time. A job that cannot be
/// reached is counted and logged, not thrown, so one unreachable job does not hold back the others.
/// </summary>
internal static partial class JobResumer
{
    private const int AtOnce = 64;

    /// <summary>Resumes every job of <paramref name="jobIds"/>; returns how many were reached and how many were not.</summary>
    public static async Task<(int Resumed, int Unreachable)> ResumeAsync(IGrainFactory grains, IEnumerable<string> jobIds, ILogger logger)
    {
        var (resumed, unreachable) = (0, 0);
        foreach (var chunk in jobIds.Chunk(AtOnce))
        {
            var reached = await Task.WhenAll(chunk.Select(id => ResumeOneAsync(grains, id, logger)));
            resumed += reached.Count(r => r);
            unreachable += reached.Count(r => !r);
        }

        return (resumed, unreachable);
    }

    private static async Task<bool> ResumeOneAsync(IGrainFactory grains, string jobId, ILogger logger)
    {
        try
        {
            await grains.GetGrain<IJobGrain>(jobId).ResumeAsync();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogResumeFailed(logger, e, jobId);
            return false;
        }
    }

    [LoggerMessage(100, LogLevel.Debug, "Job {JobId} could not be resumed")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string jobId);
}

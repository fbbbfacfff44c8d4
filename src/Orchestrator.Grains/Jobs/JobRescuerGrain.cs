using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Grains;
using Orchestrator.JobStore.Postgres;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// Finds the unfinished jobs that nobody may be carrying on — last written by a silo that is not an active member
/// any more, or not written for a <see cref="JobOptions.RescuePeriod"/> — and resumes each (<see cref="IJobGrain.ResumeAsync"/>).
/// This replaces a durable reminder per job: the job table already says which jobs are unfinished and who wrote
/// them last, so a job costs no reminder writes, and a dead silo's jobs are carried on as soon as the cluster
/// declares it dead rather than at their next tick. Resuming a job that is carried on already changes nothing.
/// </summary>
public sealed partial class JobRescuerGrain(
    UnfinishedJobs unfinished,
    IClusterMembershipService membership,
    TimeProvider clock,
    IOptions<JobOptions> options,
    ILogger<JobRescuerGrain> logger) : Grain, IJobRescuerGrain
{
    private const int PageSize = 500;
    private SerialWork? _passes;
    private DateTimeOffset _lastPass = DateTimeOffset.MinValue;

    private SerialWork Passes => _passes ??= new SerialWork(() => false, e => LogPassFailed(logger, e));

    /// <inheritdoc />
    public Task PokeAsync(bool urgent)
    {
        if (urgent || clock.GetUtcNow() - _lastPass >= options.Value.RescuePeriod / 2)
        {
            Passes.Start(PassAsync);
        }

        return Task.CompletedTask;
    }

    private async Task PassAsync()
    {
        _lastPass = clock.GetUtcNow();
        var live = ActiveSilos.Of(membership);
        var staleBefore = _lastPass - options.Value.RescuePeriod;
        var (resumed, unreachable) = (0, 0);
        for (var after = ""; ;)
        {
            var page = await unfinished.FindUnattendedAsync(live, staleBefore, after, PageSize);
            var reached = await JobResumer.ResumeAsync(GrainFactory, page, logger);
            (resumed, unreachable) = (resumed + reached.Resumed, unreachable + reached.Unreachable);

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1];
        }

        if (unreachable > 0)
        {
            LogUnreachable(logger, unreachable, resumed);
        }
        else if (resumed > 0)
        {
            LogResumed(logger, resumed);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Rescuer: resumed {Count} unfinished jobs that no live silo had written lately")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "Rescuer: {Count} unfinished jobs could not be resumed ({Resumed} were); the next pass tries again")]
    private static partial void LogUnreachable(ILogger logger, int count, int resumed);

    [LoggerMessage(4, LogLevel.Warning, "Rescuer: a pass over the unfinished jobs failed; the next one tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

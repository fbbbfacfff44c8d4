using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Processes;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The silo's side of rescuing jobs: once the silo is active it asks the rescuer (<see cref="IJobRescuerGrain"/>)
/// for a pass at once (jobs of the silo's previous life may be waiting), again whenever a silo leaves the cluster,
/// and once every <see cref="JobOptions.RescuePeriod"/>. Every silo asks, so rescuing goes on while any silo runs.
/// At start and when a silo leaves it also resumes the jobs whose containers on its engine are stopped: a silo that
/// died between recording an attempt's end and removing its container left one, and only the job's next activation
/// removes it (a finished job is not unfinished, so the rescuer does not look for it).
/// </summary>
public sealed partial class JobRescueTrigger(
    IGrainFactory grains,
    IContainerRunner containers,
    IClusterMembershipService membership,
    TimeProvider clock,
    IOptions<JobOptions> options,
    ILogger<JobRescueTrigger> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(JobRescueTrigger), ServiceLifecycleStage.Active, StartAsync, StopAsync);
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        var stopping = _stopping.Token;
        _running = Task.WhenAll(Task.Run(() => PokePeriodicallyAsync(stopping), stopping), Task.Run(() => PokeOnDepartureAsync(stopping), stopping));
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loops end with the silo.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task PokePeriodicallyAsync(CancellationToken stopping)
    {
        for (var urgent = true; !stopping.IsCancellationRequested; urgent = false)
        {
            await PokeAsync(urgent);
            await Task.Delay(options.Value.RescuePeriod, clock, stopping);
        }
    }

    private async Task PokeOnDepartureAsync(CancellationToken stopping)
    {
        var previous = membership.CurrentSnapshot;
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
        {
            if (snapshot.CreateUpdate(previous).Changes.Any(m => m.Status == SiloStatus.Dead))
            {
                await PokeAsync(urgent: true);
            }

            previous = snapshot;
        }
    }

    private async Task PokeAsync(bool urgent)
    {
        try
        {
            await grains.GetGrain<IJobRescuerGrain>(0).PokeAsync(urgent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPokeFailed(logger, e);
        }

        if (urgent)
        {
            await ResumeJobsOfStoppedContainersAsync();
        }
    }

    private async Task ResumeJobsOfStoppedContainersAsync()
    {
        try
        {
            var jobs = await containers.JobsWithStoppedContainersAsync(_stopping.Token);
            var (resumed, unreachable) = await JobResumer.ResumeAsync(grains, jobs, logger);
            if (unreachable > 0)
            {
                LogStoppedContainersUnreachable(logger, unreachable, jobs.Count);
            }
            else if (resumed > 0)
            {
                LogStoppedContainers(logger, resumed);
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            LogStoppedContainersFailed(logger, e);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not ask the job rescuer for a pass; asking again on the next period")]
    private static partial void LogPokeFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Resumed {Count} jobs whose containers were stopped, so they record or remove them")]
    private static partial void LogStoppedContainers(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Warning, "Could not look for stopped containers of this deployment; looking again when a silo starts or leaves")]
    private static partial void LogStoppedContainersFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "{Unreachable} of {Count} jobs with stopped containers could not be resumed; trying again when a silo starts or leaves")]
    private static partial void LogStoppedContainersUnreachable(ILogger logger, int unreachable, int count);
}

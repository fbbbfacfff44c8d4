using Microsoft.Extensions.Logging;

namespace Orchestrator.Grains.Retention;

/// <summary>Asks the retention grain to register its reminder when the silo has started.</summary>
internal sealed partial class JobRetentionStarter(IGrainFactory grains, ILogger<JobRetentionStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(JobRetentionStarter), ServiceLifecycleStage.Active, StartAsync, _ => Task.CompletedTask);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IJobRetentionGrain>(JobRetentionGrain.Key).StartAsync();
        }
        catch (Exception e)
        {
            // The reminder registered by an earlier start (of this silo or another) keeps the sweeps going.
            LogStartFailed(logger, e);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The job retention reminder could not be registered; sweeps keep an earlier registration, or start with the next silo start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.JobStore.Postgres;

namespace Orchestrator.Grains.Retention;

/// <summary>
/// Runs <see cref="JobRetention"/> sweeps on one silo at a time. A durable reminder drives it, not a timer on each
/// silo: the reminder row outlives every silo, only the silo that owns it ticks (one sweep for the cluster, not one
/// per silo), and a sweep due while no silo ran happens on the next start. A tick only starts the sweep in the
/// activation's background and returns; a sweep still running when the next tick comes is left to finish. A failed
/// sweep is logged and tried again at the next tick; each batch it deleted stays deleted. Should two sweeps ever
/// overlap (a tick repeated while reminder ownership moves between silos), each skips the rows the other holds.
/// </summary>
public sealed partial class JobRetentionGrain(
    JobRetention retention,
    IOptions<JobRetentionOptions> options,
    ILogger<JobRetentionGrain> logger) : Grain, IJobRetentionGrain, IRemindable, IDisposable
{
    /// <summary>The grain's only key.</summary>
    public const long Key = 0;

    private const string ReminderName = "retention";
    private static readonly TimeSpan LongestFirstDue = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _deactivating = new();
    private Task? _sweep;

    /// <inheritdoc />
    public async Task StartAsync()
    {
        var interval = options.Value.Interval;
        await this.RegisterOrUpdateReminder(ReminderName, interval < LongestFirstDue ? interval : LongestFirstDue, interval);
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_sweep is null || _sweep.IsCompleted)
        {
            _sweep = SweepAsync();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        if (_sweep is { } sweep)
        {
            await sweep;
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _deactivating.Dispose();

    private async Task SweepAsync()
    {
        // Leave the tick's turn first: the sweep continues on the activation's scheduler.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
        try
        {
            await retention.PruneAsync(_deactivating.Token);
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            // Deactivating: the next tick carries on where this sweep stopped.
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, options.Value.Interval);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "A job retention sweep failed; the next runs in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, TimeSpan interval);
}

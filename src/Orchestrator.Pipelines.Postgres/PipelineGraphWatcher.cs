using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres;

/// <summary>
/// Keeps a silo's <see cref="PostgresPipelineGraph"/> current: from the silo's start to its stop it LISTENs on
/// <see cref="PipelineStore.Channel"/> and reads the graph when a version is announced (for any service sharing the
/// database: reading costs one indexed query), when the connection is (re)opened, and every poll period. A lost connection is opened again after a growing delay.
/// </summary>
internal sealed partial class PipelineGraphWatcher(
    PostgresPipelineGraph graph,
    PipelineGraphOptions options,
    ILogger<PipelineGraphWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(PipelineGraphWatcher), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await graph.ReportAsync(cancellationToken);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {PipelineStore.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                failures = 0;
                await graph.RefreshAsync(stopping);
                while (!stopping.IsCancellationRequested)
                {
                    await connection.WaitAsync(options.PollPeriod, stopping);
                    await graph.RefreshAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidPipelineException)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetry.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 10))));
                LogListenFailed(logger, e, delay);
                try
                {
                    await Task.Delay(delay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Pipelines: watching for new versions of the graph failed; trying again in {Delay}")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan delay);
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// One LISTEN connection per source database for this silo. A notification only marks its queue "dirty" so the
/// queue's receiver reads now instead of at its next fallback poll; after any (re)connection every queue is
/// marked, so changes committed while the connection was down are read at once.
/// </summary>
public sealed partial class CaptureListener(ICaptureTopology topology, ILogger<CaptureListener> logger) : IAsyncDisposable
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private bool[] _dirty = [];
    private int _connected;
    private List<Task>? _loops;

    /// <summary>True when every source's LISTEN connection is up.</summary>
    public bool AllConnected => Volatile.Read(ref _connected) == topology.Sources.Count;

    /// <summary>Starts the listening loops once (later calls do nothing).</summary>
    public void EnsureStarted(int queueCount)
    {
        lock (_gate)
        {
            if (_loops is not null)
            {
                return;
            }

            _dirty = Enumerable.Repeat(true, queueCount).ToArray();
            _loops = topology.Sources.Select(s => Task.Run(() => ListenAsync(s, _stopping.Token))).ToList();
        }
    }

    /// <summary>Returns whether <paramref name="queue"/> was marked, and clears the mark.</summary>
    public bool TakeDirty(int queue) => queue < _dirty.Length && Interlocked.Exchange(ref _dirty[queue], false);

    /// <summary>Marks <paramref name="queue"/> so its receiver reads again at once.</summary>
    public void MarkDirty(int queue)
    {
        if (queue >= 0 && queue < _dirty.Length)
        {
            Volatile.Write(ref _dirty[queue], true);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loops is not null)
        {
            await Task.WhenAll(_loops);
        }

        _stopping.Dispose();
    }

    private void MarkAll()
    {
        for (var q = 0; q < _dirty.Length; q++)
        {
            MarkDirty(q);
        }
    }

    private async Task ListenAsync(CaptureSource source, CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            var counted = false;
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Pooling = false, KeepAlive = 15, Multiplexing = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) =>
                {
                    if (int.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var queue))
                    {
                        MarkDirty(queue);
                    }
                };
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {SqlNames.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                Interlocked.Increment(ref _connected);
                counted = true;
                MarkAll();
                LogListening(logger, source.Index, failures);
                failures = 0;
                while (!stopping.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(IdleCheck, stopping))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10))) * (0.5 + Random.Shared.NextDouble() / 2));
                LogDisconnected(logger, e, source.Index, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            finally
            {
                if (counted)
                {
                    Interlocked.Decrement(ref _connected);
                }

                MarkAll();
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Listening for captured changes in source {Source} (after {Failures} failed attempts)")]
    private static partial void LogListening(ILogger logger, int source, int failures);

    [LoggerMessage(2, LogLevel.Warning, "The listening connection to source {Source} failed; reconnecting in {DelayMs:0} ms, polling meanwhile")]
    private static partial void LogDisconnected(ILogger logger, Exception exception, int source, double delayMs);
}

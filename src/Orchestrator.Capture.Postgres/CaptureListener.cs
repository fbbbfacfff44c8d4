using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The LISTEN connection of one source database for one silo, shared by the provider's receivers there. A
/// notification only marks its queue "dirty", so the queue's receiver reads now instead of at its next fallback poll.
/// On any failure the connection is dropped and opened again after a jittered, growing delay; every queue is marked
/// when the connection is lost and when it is back, because notifications sent meanwhile are gone.
/// </summary>
internal sealed partial class CaptureListener : IAsyncDisposable
{
    /// <summary>The application name of the listening connections (what <c>pg_stat_activity</c> shows).</summary>
    public const string ApplicationName = "orchestrator-capture-listener";

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly CaptureSource _source;
    private readonly string _connectionString;
    private readonly int[] _dirty;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private volatile bool _connected;
    private int _failures;

    public CaptureListener(CaptureSource source, int queueCount, ILogger logger)
    {
        _source = source;
        _logger = logger;
        _dirty = Enumerable.Repeat(1, queueCount).ToArray();
        _connectionString = new NpgsqlConnectionStringBuilder(source.ConnectionString)
        {
            Pooling = false,
            Multiplexing = false,
            KeepAlive = 30,
            ApplicationName = ApplicationName,
        }.ConnectionString;
    }

    /// <summary>True while the LISTEN connection is up: then a queue that is not dirty has nothing new.</summary>
    public bool IsConnected => _connected;

    /// <summary>Starts listening (later calls do nothing).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    /// <summary>Returns whether <paramref name="queue"/> was marked, and clears the mark.</summary>
    public bool TakeDirty(int queue) => Interlocked.Exchange(ref _dirty[queue], 0) == 1;

    /// <summary>Marks <paramref name="queue"/> so its receiver reads again at once.</summary>
    public void MarkDirty(int queue)
    {
        if (queue >= 0 && queue < _dirty.Length)
        {
            Volatile.Write(ref _dirty[queue], 1);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private void MarkAll()
    {
        for (var queue = 0; queue < _dirty.Length; queue++)
        {
            MarkDirty(queue);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                var delay = Backoff(++_failures);
                if (_connected)
                {
                    LogLost(_logger, e, _source.Index, delay.TotalMilliseconds);
                }
                else
                {
                    LogConnectFailed(_logger, e, _source.Index, _failures, delay.TotalMilliseconds);
                }

                _connected = false;
                MarkAll();
                try
                {
                    await Task.Delay(delay, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _connected = false;
        LogStopped(_logger, _source.Index);
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += (_, e) =>
        {
            if (int.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var queue))
            {
                MarkDirty(queue);
            }
        };
        await connection.OpenAsync(stopping);
        await ExecuteAsync(connection, $"LISTEN {SqlNames.Channel}", stopping);
        MarkAll();
        _connected = true;
        _failures = 0;
        LogListening(_logger, _source.Index);
        await WarnAboutForeignQueuesAsync(connection, stopping);
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stopping))
            {
                await ExecuteAsync(connection, "SELECT 1", stopping);
            }
        }
    }

    // Events under a queue id no receiver reads mean the triggers were installed with another queue count.
    private async Task WarnAboutForeignQueuesAsync(NpgsqlConnection connection, CancellationToken stopping)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orchestrator.event_log WHERE queue_id < 0 OR queue_id >= $1", connection);
        command.Parameters.AddWithValue(_dirty.Length);
        try
        {
            if ((long)(await command.ExecuteScalarAsync(stopping))! is var count and > 0)
            {
                LogForeignQueues(_logger, _source.Index, count, _dirty.Length);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            LogNotInstalled(_logger, _source.Index);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken stopping)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(stopping);
    }

    private static TimeSpan Backoff(int failures)
    {
        var exponential = FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromMilliseconds(Math.Min(exponential, MaxRetry.TotalMilliseconds) * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(1, LogLevel.Information, "Listening for captured changes in source {Source}")]
    private static partial void LogListening(ILogger logger, int source);

    [LoggerMessage(2, LogLevel.Warning, "The listening connection to source {Source} was lost; its queues are polled on every tick until it is back (next attempt in {DelayMs:0} ms)")]
    private static partial void LogLost(ILogger logger, Exception exception, int source, double delayMs);

    [LoggerMessage(3, LogLevel.Warning, "Cannot listen to source {Source} ({Failures} attempts); its queues are polled on every tick meanwhile (next attempt in {DelayMs:0} ms)")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, int source, int failures, double delayMs);

    [LoggerMessage(4, LogLevel.Debug, "Stopped listening to source {Source}")]
    private static partial void LogStopped(ILogger logger, int source);

    [LoggerMessage(5, LogLevel.Error, "Source {Source} holds {Count} events of queues outside 0..{QueueCount}-1, which no receiver reads: install capture with the provider's queue count")]
    private static partial void LogForeignQueues(ILogger logger, int source, long count, int queueCount);

    [LoggerMessage(6, LogLevel.Error, "Source {Source} has no event log: install capture (PostgresCaptureInstaller) in it")]
    private static partial void LogNotInstalled(ILogger logger, int source);
}

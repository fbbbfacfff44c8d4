using System.Diagnostics;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>When a receiver reads: on a notification, on a full read, on the fallback poll, and across a lost listener.</summary>
public sealed class ListenerTests
{
    private const string Table = "CREATE TABLE t (id int PRIMARY KEY)";

    // An event logged without the trigger, so without a notification.
    private const string SilentEvent =
        "INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, new_row, txid) VALUES ('in', 0, 'public', 't', 'insert', '{\"id\": 7}', 0)";

    private static PostgresCaptureStreamOptions Options(TimeSpan fallback, int maxRead = 1000) => new()
    {
        QueueCount = 1,
        LeaseDuration = TimeSpan.FromMinutes(5),
        FallbackPollInterval = fallback,
        MaxReadCount = maxRead,
    };

    [Fact]
    public async Task A_notification_wakes_an_idle_receiver_long_before_its_fallback_poll()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_notification_wakes_an_idle_receiver_long_before_its_fallback_poll), Table, Options(TimeSpan.FromHours(1)), "l");
        var silo = await harness.SiloAsync();
        await silo.IdleAsync();

        var clock = Stopwatch.StartNew();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await silo.ReadAsync(1, TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}, not woken by the notification (the poll waits an hour)");
    }

    [Fact]
    public async Task An_idle_receiver_does_not_read_until_it_is_notified()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_idle_receiver_does_not_read_until_it_is_notified), Table, Options(TimeSpan.FromHours(1)), "l");
        var silo = await harness.SiloAsync();
        await silo.IdleAsync();
        await harness.Database.ExecuteAsync(SilentEvent);

        for (var tick = 0; tick < 20; tick++)
        {
            Assert.Empty(await silo.ReadOnceAsync());
        }

        await harness.Database.ExecuteAsync("SELECT pg_notify('orchestrator_capture', '0')");
        Assert.Equal("{\"id\": 7}", Assert.Single(TestSilo.Events(await silo.ReadAsync(1, TimeSpan.FromSeconds(10)))).NewRow);
    }

    [Fact]
    public async Task Without_a_notification_the_fallback_poll_reads_the_queue()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Without_a_notification_the_fallback_poll_reads_the_queue), Table, Options(TimeSpan.FromMilliseconds(300)), "l");
        var silo = await harness.SiloAsync();
        await silo.IdleAsync();

        await harness.Database.ExecuteAsync(SilentEvent);

        Assert.Single(TestSilo.Events(await silo.ReadAsync(1, TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task A_full_read_reads_again_without_waiting_for_a_notification()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_full_read_reads_again_without_waiting_for_a_notification), Table, Options(TimeSpan.FromHours(1), maxRead: 10), "l");
        var silo = await harness.SiloAsync();
        await silo.IdleAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 25)");

        var first = await silo.ReadAsync(1);
        var second = await silo.ReadOnceAsync();
        var third = await silo.ReadOnceAsync();

        Assert.Equal([10, 10, 5], new[] { first, second, third }.Select(r => TestSilo.Events(r).Count));
        Assert.Empty(await silo.ReadOnceAsync());
    }

    [Fact]
    public async Task A_killed_listener_reconnects_listens_again_and_catches_up()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_killed_listener_reconnects_listens_again_and_catches_up), Table, Options(TimeSpan.FromHours(1)), "l");
        var silo = await harness.SiloAsync();
        await silo.IdleAsync();
        var killed = await ListenerPidAsync(harness);

        Assert.True(await harness.Database.ScalarAsync<bool>("SELECT pg_terminate_backend($1)", killed));
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        Assert.Equal(1, Assert.Single(TestSilo.Events(await silo.ReadAsync(1, TimeSpan.FromSeconds(20)))).Id);
        await Eventually.UntilAsync(async () => await ListenerPidAsync(harness) is { } pid && pid != killed && silo.ListenerConnected, "a new listening connection");
        await silo.IdleAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (2)");
        Assert.Equal(2, Assert.Single(TestSilo.Events(await silo.ReadAsync(1, TimeSpan.FromSeconds(10)))).Id);
    }

    private static async Task<int?> ListenerPidAsync(CaptureHarness harness) => await harness.Database.ScalarAsync<object?>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
        CaptureListener.ApplicationName) as int?;
}

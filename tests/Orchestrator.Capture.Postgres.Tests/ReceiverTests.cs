using System.Diagnostics;
using Npgsql;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

public sealed class ReceiverTests
{
    private const string Table = "CREATE TABLE t (id int PRIMARY KEY)";

    private static PostgresCaptureStreamOptions Options(TimeSpan? lease = null, TimeSpan? fallback = null) => new()
    {
        QueueCount = 1,
        LeaseDuration = lease ?? TimeSpan.FromMinutes(5),
        FallbackPollInterval = fallback ?? TimeSpan.FromHours(1),
    };

    [Fact]
    public async Task Each_event_is_published_once_per_link_on_the_links_streams()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Each_event_is_published_once_per_link_on_the_links_streams), Table, Options(), "l1", "l2");
        var receiver = await harness.ReceiverAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 5)");

        var read = await CaptureHarness.ReadAsync(receiver, 10);

        Assert.Equal(["l1", "l2"], read.Select(c => c.StreamId.GetKeyAsString()).Order());
        Assert.All(read, c => Assert.Equal("input/in", c.StreamId.GetNamespace()));
        Assert.All(read, c => Assert.Equal(5, c.Batch.Events.Count));
    }

    [Fact]
    public async Task Two_receivers_of_one_queue_never_lease_the_same_event()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Two_receivers_of_one_queue_never_lease_the_same_event), Table, Options(), "l");
        var first = await harness.ReceiverAsync();
        var second = await harness.ReceiverAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 400)");

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).GetQueueMessagesAsync(60, CancellationToken.None)));

        var ids = CaptureHarness.Events(reads.SelectMany(r => r).Cast<PostgresCaptureBatchContainer>()).Select(e => e.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count >= 60, $"only {ids.Count} events read");
    }

    [Fact]
    public async Task An_event_is_deleted_only_when_every_links_delivery_is_confirmed()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_event_is_deleted_only_when_every_links_delivery_is_confirmed), Table, Options(), "l1", "l2");
        var receiver = await harness.ReceiverAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var read = await CaptureHarness.ReadAsync(receiver, 2);

        await receiver.MessagesDeliveredAsync([read[0]], CancellationToken.None);
        Assert.Equal(1L, await harness.LogCountAsync());

        await receiver.MessagesDeliveredAsync([read[1]], CancellationToken.None);
        Assert.Equal(0L, await harness.LogCountAsync());
    }

    [Fact]
    public async Task An_expired_lease_is_read_again_and_the_stale_reader_cannot_delete_it()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_expired_lease_is_read_again_and_the_stale_reader_cannot_delete_it), Table, Options(lease: TimeSpan.FromSeconds(1), fallback: TimeSpan.FromMilliseconds(500)), "l");
        var stale = await harness.ReceiverAsync();
        var fresh = await harness.ReceiverAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var first = await CaptureHarness.ReadAsync(stale, 1);

        var again = await CaptureHarness.ReadAsync(fresh, 1, TimeSpan.FromSeconds(30));
        await stale.MessagesDeliveredAsync(first.Cast<IBatchContainer>().ToList(), CancellationToken.None);

        Assert.Equal(first[0].Batch.Events[0].Id, again[0].Batch.Events[0].Id);
        Assert.Equal(1L, await harness.LogCountAsync());
        await fresh.MessagesDeliveredAsync(again.Cast<IBatchContainer>().ToList(), CancellationToken.None);
        Assert.Equal(0L, await harness.LogCountAsync());
    }

    [Fact]
    public async Task Shutdown_releases_unconfirmed_events_to_the_next_reader_at_once()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Shutdown_releases_unconfirmed_events_to_the_next_reader_at_once), Table, Options(), "l");
        var leaving = await harness.ReceiverAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1), (2)");
        await CaptureHarness.ReadAsync(leaving, 2);

        await leaving.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
        var next = await harness.ReceiverAsync();

        Assert.Equal(2, CaptureHarness.Events(await CaptureHarness.ReadAsync(next, 2, TimeSpan.FromSeconds(5))).Count);
    }

    [Fact]
    public async Task An_event_of_a_transaction_that_commits_late_is_not_skipped()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_event_of_a_transaction_that_commits_late_is_not_skipped), Table, Options(), "l");
        var receiver = await harness.ReceiverAsync();
        await using var slow = await harness.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO t VALUES (1)", slow, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (2)");
        var early = await CaptureHarness.ReadAsync(receiver, 1);
        await receiver.MessagesDeliveredAsync(early.Cast<IBatchContainer>().ToList(), CancellationToken.None);
        await transaction.CommitAsync();
        var late = await CaptureHarness.ReadAsync(receiver, 1);

        var earlyEvent = Assert.Single(CaptureHarness.Events(early));
        var lateEvent = Assert.Single(CaptureHarness.Events(late));
        Assert.True(lateEvent.Id < earlyEvent.Id, "the late transaction took the lower id");
        Assert.Equal("{\"id\": 1}", lateEvent.NewRow);
    }

    [Fact]
    public async Task A_notification_wakes_an_idle_receiver_long_before_its_fallback_poll()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_notification_wakes_an_idle_receiver_long_before_its_fallback_poll), Table, Options(), "l");
        var receiver = await harness.ReceiverAsync();
        await Eventually.UntilAsync(async () => (await receiver.GetQueueMessagesAsync(10, CancellationToken.None)).Count == 0 && await ListenersAsync(harness) == 1, "the listener to connect");
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));

        var clock = Stopwatch.StartNew();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await CaptureHarness.ReadAsync(receiver, 1, TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_killed_listener_connection_reconnects_and_catches_up()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_killed_listener_connection_reconnects_and_catches_up), Table, Options(), "l");
        var receiver = await harness.ReceiverAsync();
        await Eventually.UntilAsync(async () => await ListenersAsync(harness) == 1, "the listener to connect");
        await receiver.GetQueueMessagesAsync(10, CancellationToken.None);

        await harness.Database.ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' OR (datname = current_database() AND wait_event = 'ClientRead' AND query = 'SELECT 1')");
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        Assert.Single(CaptureHarness.Events(await CaptureHarness.ReadAsync(receiver, 1, TimeSpan.FromSeconds(30))));
        await Eventually.UntilAsync(async () => await ListenersAsync(harness) == 1, "the listener to reconnect");
    }

    private static Task<long> ListenersAsync(CaptureHarness harness) => harness.Database.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND (query ILIKE 'LISTEN%' OR query = 'SELECT 1')");
}

using Npgsql;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>The receiver's leased queue against a real database: publishing, exclusivity, acknowledgement, release.</summary>
public sealed class ReceiverTests
{
    private const string Table = "CREATE TABLE t (id int PRIMARY KEY)";

    private static PostgresCaptureStreamOptions Options(TimeSpan? lease = null, TimeSpan? fallback = null, int maxRead = 1000, int maxPending = 2000) => new()
    {
        QueueCount = 1,
        LeaseDuration = lease ?? TimeSpan.FromMinutes(5),
        FallbackPollInterval = fallback ?? TimeSpan.FromHours(1),
        MaxReadCount = maxRead,
        MaxPendingEvents = maxPending,
    };

    [Fact]
    public async Task Each_read_is_published_once_per_link_on_the_links_streams()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Each_read_is_published_once_per_link_on_the_links_streams), Table, Options(), "l1", "l2");
        var silo = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 5)");

        var read = await silo.ReadAsync(10);

        Assert.Equal(["l1", "l2"], read.Select(c => c.StreamId.GetKeyAsString()).Order());
        Assert.All(read, c => Assert.Equal("input/in", c.StreamId.GetNamespace()));
        Assert.All(read, c => Assert.Equal([1, 2, 3, 4, 5], c.Batch.Events.Select(e => e.Id)));
        Assert.Equal(2, read.Select(c => c.SequenceToken.SequenceNumber).Distinct().Count());
    }

    [Fact]
    public async Task Two_receivers_of_one_queue_never_lease_the_same_event()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Two_receivers_of_one_queue_never_lease_the_same_event), Table, Options(maxRead: 25), "l");
        var first = await harness.SiloAsync();
        var second = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 400)");

        var ids = new System.Collections.Concurrent.ConcurrentBag<long>();
        async Task DrainAsync(TestSilo silo) => await Eventually.UntilAsync(
            async () =>
            {
                foreach (var captured in TestSilo.Events(await silo.ReadOnceAsync()))
                {
                    ids.Add(captured.Id);
                }

                return ids.Count >= 400;
            },
            "400 events");

        await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        Assert.Equal(400, ids.Count);
        Assert.Equal(400, ids.Distinct().Count());
    }

    [Fact]
    public async Task An_event_is_deleted_once_every_links_container_is_delivered()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_event_is_deleted_once_every_links_container_is_delivered), Table, Options(), "l1", "l2");
        var silo = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var read = await silo.ReadAsync(2);

        await silo.DeliveredAsync([read[0]]);
        Assert.Equal(1L, await harness.LogCountAsync());

        await silo.DeliveredAsync([read[1]]);
        Assert.Equal(0L, await harness.LogCountAsync());
        Assert.Equal(0, silo.Receiver.PendingCount);
    }

    [Fact]
    public async Task A_stale_receipt_does_not_delete_an_event_leased_again()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_stale_receipt_does_not_delete_an_event_leased_again), Table, Options(lease: TimeSpan.FromSeconds(1), fallback: TimeSpan.FromMilliseconds(200)), "l");
        var stale = await harness.SiloAsync();
        var fresh = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var first = await stale.ReadAsync(1);

        var again = await fresh.ReadAsync(1);
        await stale.DeliveredAsync(first);

        Assert.Equal(first[0].Batch.Events[0].Id, again[0].Batch.Events[0].Id);
        Assert.Equal(1L, await harness.LogCountAsync());
        await fresh.DeliveredAsync(again);
        Assert.Equal(0L, await harness.LogCountAsync());
    }

    [Fact]
    public async Task An_expired_lease_is_delivered_again_and_only_its_latest_read_acknowledges_it()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_expired_lease_is_delivered_again_and_only_its_latest_read_acknowledges_it), Table, Options(lease: TimeSpan.FromSeconds(1), fallback: TimeSpan.FromMilliseconds(200)), "l");
        var silo = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var first = await silo.ReadAsync(1);

        var again = await silo.ReadAsync(1);
        await silo.DeliveredAsync(first);

        Assert.Equal(first[0].Batch.Events[0].Id, again[0].Batch.Events[0].Id);
        Assert.True(again[0].SequenceToken.Newer(first[0].SequenceToken));
        Assert.Equal(1L, await harness.LogCountAsync());
        await silo.DeliveredAsync(again);
        Assert.Equal(0L, await harness.LogCountAsync());
    }

    [Fact]
    public async Task Shutdown_releases_held_events_to_an_idle_receiver_at_once()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(Shutdown_releases_held_events_to_an_idle_receiver_at_once), Table, Options(), "l");
        var (leaving, staying) = await harness.TwoIdleSilosAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1), (2)");
        await leaving.ReadAsync(2);
        Assert.Empty(await staying.ReadOnceAsync());

        await leaving.Receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);

        // The fallback poll is an hour away: only the release's notification can wake the idle receiver.
        Assert.Equal([1, 2], TestSilo.Events(await staying.ReadAsync(2, TimeSpan.FromSeconds(10))).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task A_failed_delivery_releases_its_events_to_be_delivered_again()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_failed_delivery_releases_its_events_to_be_delivered_again), Table, Options(), "l1", "l2");
        var (failing, other) = await harness.TwoIdleSilosAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var read = await failing.ReadAsync(2);

        await failing.FailureHandler.OnDeliveryFailure(GuidId.GetNewGuidId(), CaptureHarness.ProviderName, read[0].StreamId, read[0].SequenceToken);

        Assert.False(failing.FailureHandler.ShouldFaultSubsriptionOnError);
        Assert.Equal(0, failing.Receiver.PendingCount);
        var again = await other.ReadAsync(2, TimeSpan.FromSeconds(10));
        await failing.DeliveredAsync(read);
        Assert.Equal(1L, await harness.LogCountAsync());
        await other.DeliveredAsync(again);
        Assert.Equal(0L, await harness.LogCountAsync());
    }

    [Fact]
    public async Task An_event_of_a_transaction_that_commits_late_is_not_skipped()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_event_of_a_transaction_that_commits_late_is_not_skipped), Table, Options(), "l");
        var silo = await harness.SiloAsync();
        await using var slow = await harness.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO t VALUES (1)", slow, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (2)");
        var early = await silo.ReadAsync(1);
        await silo.DeliveredAsync(early);
        await transaction.CommitAsync();
        var late = await silo.ReadAsync(1);

        var earlyEvent = Assert.Single(TestSilo.Events(early));
        var lateEvent = Assert.Single(TestSilo.Events(late));
        Assert.True(lateEvent.Id < earlyEvent.Id, "the late transaction took the lower id");
        Assert.Equal("{\"id\": 1}", lateEvent.NewRow);
    }

    [Fact]
    public async Task An_event_of_an_input_without_links_is_deleted_at_once()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(An_event_of_an_input_without_links_is_deleted_at_once), Table, Options());
        var silo = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        await Eventually.UntilAsync(async () => (await silo.ReadOnceAsync()).Count == 0 && await harness.LogCountAsync() == 0, "the event to be dropped");

        Assert.Equal(0, silo.Receiver.PendingCount);
    }

    [Fact]
    public async Task A_receiver_stops_reading_at_its_pending_limit_until_deliveries_are_acknowledged()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_receiver_stops_reading_at_its_pending_limit_until_deliveries_are_acknowledged), Table, Options(maxPending: 5), "l");
        var silo = await harness.SiloAsync();
        await harness.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 12)");

        var first = await silo.ReadAsync(5);
        Assert.Empty(await silo.ReadOnceAsync());
        await silo.DeliveredAsync(first);
        var second = await silo.ReadAsync(5);

        Assert.Equal([1, 2, 3, 4, 5], TestSilo.Events(first).Select(e => e.Id));
        Assert.Equal([6, 7, 8, 9, 10], TestSilo.Events(second).Select(e => e.Id));
        Assert.Equal(5, silo.Receiver.PendingCount);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_does_not_stop_the_other_sources()
    {
        await using var harness = await CaptureHarness.StartAsync(nameof(A_database_that_cannot_be_reached_does_not_stop_the_other_sources), Table, Options(), "l");
        var unreachable = new NpgsqlConnectionStringBuilder(harness.Database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        var silo = await harness.SiloAsync(topology: new TwoSources(unreachable, harness.Database.ConnectionString));
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        var read = await silo.ReadAsync(1, TimeSpan.FromSeconds(20));

        Assert.Equal(1, Assert.Single(TestSilo.Events(read)).Id);
    }

    private sealed class TwoSources(string first, string second) : ICaptureTopology
    {
        public IReadOnlyList<CaptureSource> Sources { get; } = [new(0, first), new(1, second)];

        public IReadOnlyList<string> LinksFor(string inputId) => ["l"];

        public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public IReadOnlyCollection<string> OrderedInputs => [];
    }
}

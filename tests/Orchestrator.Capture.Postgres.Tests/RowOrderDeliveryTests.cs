using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>
/// The dequeue of an input with a per-row link hands out a row's events one at a time, in id order (which, for one
/// row, is commit order), whatever holds the earlier one: another reader's lease (one that died), a release after a
/// failed delivery, or the same read.
/// </summary>
public sealed class RowOrderDeliveryTests
{
    private const string Table = "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL DEFAULT 0)";

    private static PostgresCaptureStreamOptions Options(TimeSpan lease) => new()
    {
        QueueCount = 1,
        LeaseDuration = lease,
        FallbackPollInterval = TimeSpan.FromMilliseconds(200),
        MaxReadCount = 1000,
        MaxPendingEvents = 2000,
    };

    [Fact]
    public async Task A_rows_later_event_waits_while_its_earlier_one_is_leased_by_a_reader_that_died()
    {
        var (harness, ids) = await PerRowAsync(
            nameof(A_rows_later_event_waits_while_its_earlier_one_is_leased_by_a_reader_that_died), TimeSpan.FromSeconds(3),
            "INSERT INTO t VALUES (1); UPDATE t SET v = 1 WHERE id = 1; INSERT INTO t VALUES (2)");
        await using var owned = harness;
        var dead = await harness.SiloAsync();
        Assert.Equal([ids[0], ids[2]], TestSilo.Events(await dead.ReadAsync(2)).Select(e => e.Id));

        var live = await harness.SiloAsync();
        Assert.Empty(TestSilo.Events(await live.ReadOnceAsync()));
        var again = await live.ReadAsync(2, TimeSpan.FromSeconds(20));
        var events = TestSilo.Events(again);
        Assert.Equal([ids[0], ids[2]], events.Select(e => e.Id).Order());
        var rowKey = await harness.Database.ScalarAsync<string>("SELECT row_key FROM orchestrator.event_log WHERE id = $1", ids[1]);
        Assert.Equal(rowKey, events.Single(e => e.Id == ids[0]).RowKey);
        Assert.StartsWith("public.t:", rowKey, StringComparison.Ordinal);

        await live.DeliveredAsync(again);
        Assert.Equal([ids[1]], TestSilo.Events(await live.ReadAsync(1)).Select(e => e.Id));
    }

    [Fact]
    public async Task One_read_hands_out_one_event_per_row_and_a_released_event_goes_out_again_before_the_later_ones()
    {
        var (harness, ids) = await PerRowAsync(
            nameof(One_read_hands_out_one_event_per_row_and_a_released_event_goes_out_again_before_the_later_ones), TimeSpan.FromMinutes(5),
            "INSERT INTO t VALUES (1); UPDATE t SET v = 1 WHERE id = 1; UPDATE t SET v = 2 WHERE id = 1");
        await using var owned = harness;
        var silo = await harness.SiloAsync();

        var first = await silo.ReadAsync(1);
        Assert.Equal([ids[0]], TestSilo.Events(first).Select(e => e.Id));
        await silo.FailureHandler.OnDeliveryFailure(GuidId.GetNewGuidId(), CaptureHarness.ProviderName, first[0].StreamId, first[0].SequenceToken);

        var redelivered = await silo.ReadAsync(1);
        Assert.Equal([ids[0]], TestSilo.Events(redelivered).Select(e => e.Id));
        foreach (var expected in ids.Skip(1))
        {
            await silo.DeliveredAsync(redelivered);
            redelivered = await silo.ReadAsync(1);
            Assert.Equal([expected], TestSilo.Events(redelivered).Select(e => e.Id));
        }
    }

    [Fact]
    public async Task An_input_without_per_row_links_hands_out_a_rows_events_together()
    {
        await using var harness = await CaptureHarness.StartAsync(
            nameof(An_input_without_per_row_links_hands_out_a_rows_events_together), Table, Options(TimeSpan.FromMinutes(5)), "l");
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1); UPDATE t SET v = 1 WHERE id = 1");
        var silo = await harness.SiloAsync();

        Assert.Equal(await EventIdsAsync(harness), TestSilo.Events(await silo.ReadAsync(2)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_rows_writers_get_ids_in_commit_order_and_a_transaction_held_open_on_another_row_holds_nothing_back()
    {
        await using var harness = await CaptureHarness.StartAsync(
            nameof(A_rows_writers_get_ids_in_commit_order_and_a_transaction_held_open_on_another_row_holds_nothing_back), Table, Options(TimeSpan.FromMinutes(5)), Pipelines.PerRow("l"));
        await harness.Database.ExecuteAsync("INSERT INTO t VALUES (1), (2)");
        var silo = await harness.SiloAsync();
        await silo.DeliveredAsync(await silo.ReadAsync(2));
        await using var other = await harness.Database.DataSource.OpenConnectionAsync();
        await using var held = await other.BeginTransactionAsync();
        await Exec(other, held, "UPDATE t SET v = 9 WHERE id = 2");
        await using var firstWriter = await harness.Database.DataSource.OpenConnectionAsync();
        await using var first = await firstWriter.BeginTransactionAsync();
        await Exec(firstWriter, first, "UPDATE t SET v = 1 WHERE id = 1");

        // The second writer of row 1 started later but waits for the first's row lock: its event id is taken after.
        var second = harness.Database.ExecuteAsync("UPDATE t SET v = 2 WHERE id = 1");
        await Eventually.UntilAsync(
            async () => await harness.Database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == 1,
            "the second writer to wait for the row lock");
        await first.CommitAsync();
        await second;

        var rowOne = new List<long>();
        for (var v = 1; v <= 2; v++)
        {
            var read = await silo.ReadAsync(1);
            var captured = Assert.Single(TestSilo.Events(read));
            Assert.Contains($"\"v\": {v}", captured.NewRow, StringComparison.Ordinal);
            rowOne.Add(captured.Id);
            await silo.DeliveredAsync(read);
        }

        await held.CommitAsync();
        var late = Assert.Single(TestSilo.Events(await silo.ReadAsync(1)));
        Assert.True(late.Id < rowOne[0], "the held transaction's event has the lower id and was read last");
        Assert.True(rowOne[0] < rowOne[1], "row 1's events are in commit order");
    }

    /// <summary>A harness whose link is per-row, with <paramref name="changes"/> committed; the ids of their events.</summary>
    private static async Task<(CaptureHarness Harness, List<long> Ids)> PerRowAsync(string name, TimeSpan lease, string changes)
    {
        var harness = await CaptureHarness.StartAsync(name, Table, Options(lease), Pipelines.PerRow("l"));
        await harness.Database.ExecuteAsync(changes);
        return (harness, await EventIdsAsync(harness));
    }

    private static async Task<List<long>> EventIdsAsync(CaptureHarness harness)
    {
        var ids = new List<long>();
        await using var command = harness.Database.DataSource.CreateCommand("SELECT id FROM orchestrator.event_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task Exec(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}

using Orchestrator.Abstractions.Backfills;
using Orchestrator.Capture.Postgres.Backfills;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>Backfill pages copy exactly the matching existing rows, once each, in key order, on their rows' queues.</summary>
public sealed class BackfillPageTests
{
    private const string Setup =
        """
        CREATE TABLE items (id integer PRIMARY KEY, status text, amount numeric, deleted_at timestamptz);
        CREATE TABLE pairs (a text, b timestamptz, note text, PRIMARY KEY (a, b));
        """;

    [Fact]
    public async Task Pages_copy_each_matching_row_once_in_key_order_as_the_trigger_writes_it()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(Pages_copy_each_matching_row_once_in_key_order_as_the_trigger_writes_it), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync(
            """
            INSERT INTO items SELECT g, CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'open' END, g, CASE WHEN g % 5 = 0 THEN now() END
              FROM generate_series(30, 1, -1) g
            """);

        var started = await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", Where = "status = 'open' and amount >= 10 and deleted_at is null" });
        var pages = await h.RunToEndAsync();

        var expected = Enumerable.Range(10, 21).Where(g => g % 3 != 0 && g % 5 != 0).ToList();
        var read = await h.Database.DataSource.ListAsync("SELECT (new_row ->> 'id') FROM orchestrator.event_log WHERE operation = 'read' ORDER BY id");
        Assert.Equal(expected.Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture)), read);
        Assert.Equal(0, await h.CountAsync(
            """
            SELECT count(*) FROM orchestrator.event_log r JOIN orchestrator.event_log i
                ON i.operation = 'insert' AND i.new_row ->> 'id' = r.new_row ->> 'id'
             WHERE r.operation = 'read' AND (r.queue_id <> i.queue_id OR r.new_row <> i.new_row OR r.old_row IS NOT NULL
                   OR r.input_id <> 'in' OR r.schema_name <> 'public' OR r.table_name <> 'items' OR r.links IS NOT NULL)
            """));
        Assert.Equal(Enumerable.Repeat(4, pages.Count - 1).Append(expected.Count % 4), pages.Select(p => p.Copied));
        var done = await h.Service.FindAsync(started.Id, CancellationToken.None);
        Assert.Equal((BackfillStatus.Done, expected.Count), (done!.Status, (int)done.RowsDone));
        Assert.NotNull(done.FinishedAt);
    }

    [Fact]
    public async Task A_composite_key_of_text_and_time_resumes_exactly_after_the_last_row_copied()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_composite_key_of_text_and_time_resumes_exactly_after_the_last_row_copied), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync(
            """
            INSERT INTO pairs SELECT chr(97 + g % 3), timestamptz '2024-01-01 00:00:00.123456+00' + g * interval '1.000001 s', 'n' || g
              FROM generate_series(1, 23) g
            """);

        await h.StartAsync(new BackfillRequest { Input = "in", Table = "pairs", PageSize = 5 });
        await h.RunToEndAsync();

        Assert.Equal(23, await h.CountAsync("SELECT count(DISTINCT new_row) FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal(23, await h.CountAsync("SELECT count(*) FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal(0, await h.CountAsync(
            "SELECT count(*) FROM orchestrator.event_log WHERE operation = 'read' AND queue_id <> orchestrator.queue_of(new_row, '{a,b}', 4)"));
    }

    [Fact]
    public async Task Rows_changed_after_a_page_are_still_captured_by_the_trigger_and_never_read_twice()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(Rows_changed_after_a_page_are_still_captured_by_the_trigger_and_never_read_twice), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync("INSERT INTO items SELECT g, 'open', g FROM generate_series(1, 10) g");
        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items" });

        await BackfillPages.CopyNextAsync(h.Store, BackfillHarness.QueueCount, 100, CancellationToken.None);
        await h.Database.ExecuteAsync("UPDATE items SET status = 'moved' WHERE id IN (1, 9)");
        await h.Database.ExecuteAsync("INSERT INTO items VALUES (11, 'open', 11)");
        await h.RunToEndAsync();

        Assert.Equal(11, await h.CountAsync("SELECT count(*) FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal(11, await h.CountAsync("SELECT count(DISTINCT new_row ->> 'id') FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal("moved", await h.Database.ScalarAsync<string>("SELECT new_row ->> 'status' FROM orchestrator.event_log WHERE operation = 'read' AND new_row ->> 'id' = '9'"));
    }

    [Fact]
    public async Task A_page_waits_for_an_uncommitted_change_of_its_rows_and_logs_the_committed_row_after_the_change()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_page_waits_for_an_uncommitted_change_of_its_rows_and_logs_the_committed_row_after_the_change), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync("INSERT INTO items SELECT g, 'open', g FROM generate_series(1, 3) g");
        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items" });
        await using var writer = await h.Database.DataSource.OpenConnectionAsync();
        await using var change = await writer.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE items SET status = 'changed' WHERE id = 2", writer, change))
        {
            await update.ExecuteNonQueryAsync();
        }

        var page = Task.Run(() => h.RunToEndAsync());
        await Eventually.UntilAsync(
            async () => await h.CountAsync($"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = '{BackfillDatabases.ApplicationName}'") > 0,
            "the page to wait for the uncommitted change");
        await change.CommitAsync();
        await page;

        Assert.Equal("changed", await h.Database.ScalarAsync<string>("SELECT new_row ->> 'status' FROM orchestrator.event_log WHERE operation = 'read' AND new_row ->> 'id' = '2'"));
        Assert.Equal(["insert", "insert", "insert", "update", "read", "read", "read"], await h.Database.DataSource.ListAsync("SELECT operation FROM orchestrator.event_log ORDER BY id"));
    }

    [Fact]
    public async Task A_row_whose_key_moves_while_a_page_waits_for_it_does_not_carry_the_cursor_past_unread_rows()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_row_whose_key_moves_while_a_page_waits_for_it_does_not_carry_the_cursor_past_unread_rows), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync("INSERT INTO items SELECT g, 'open', g FROM generate_series(1, 6) g");
        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", PageSize = 3 });
        await using var writer = await h.Database.DataSource.OpenConnectionAsync();
        await using var change = await writer.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE items SET id = 1000 WHERE id = 2", writer, change))
        {
            await update.ExecuteNonQueryAsync();
        }

        var pages = Task.Run(() => h.RunToEndAsync());
        await Eventually.UntilAsync(
            async () => await h.CountAsync($"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = '{BackfillDatabases.ApplicationName}'") > 0,
            "the page to wait for the uncommitted change");
        await change.CommitAsync();
        await pages;

        // Row 2 became 1000 while the first page (1, 2, 3) waited for it: it is read in the page its new key falls
        // in, and rows 4 to 6 are still read, each once.
        Assert.Equal(["1", "3", "4", "5", "6", "1000"], await h.Database.DataSource.ListAsync(
            "SELECT new_row ->> 'id' FROM orchestrator.event_log WHERE operation = 'read' ORDER BY (new_row ->> 'id')::integer"));
        Assert.All(await h.Service.ListAsync(CancellationToken.None), b => Assert.Equal(BackfillStatus.Done, b.Status));
    }

    [Fact]
    public async Task Two_runners_share_the_pages_of_backfills_and_copy_no_row_twice()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(Two_runners_share_the_pages_of_backfills_and_copy_no_row_twice), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync("INSERT INTO items SELECT g, 'open', g FROM generate_series(1, 400) g");
        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", PageSize = 7 });
        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", Where = "amount > 200", PageSize = 3 });
        await using var otherSilo = new BackfillDatabases();

        await Task.WhenAll(Task.Run(() => h.RunToEndAsync()), Task.Run(() => h.RunToEndAsync(otherSilo.For(h.Database.ConnectionString))));

        Assert.Equal(600, await h.CountAsync("SELECT count(*) FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal(0, await h.CountAsync(
            """
            SELECT count(*) FROM (SELECT (new_row ->> 'id')::integer AS id, count(*) AS n FROM orchestrator.event_log
                                   WHERE operation = 'read' GROUP BY 1) x
             WHERE n <> CASE WHEN id > 200 THEN 2 ELSE 1 END
            """));
        Assert.All(await h.Service.ListAsync(CancellationToken.None), b => Assert.Equal(BackfillStatus.Done, b.Status));
    }

    [Fact]
    public async Task A_runner_started_later_finishes_what_was_left_running()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_runner_started_later_finishes_what_was_left_running), Setup, Pipelines.Definition("l"));
        await h.Database.ExecuteAsync("INSERT INTO items SELECT g, 'open', g FROM generate_series(1, 50) g");
        var started = await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", PageSize = 6 });
        using var runner = h.Runner();

        await runner.StartAsync(CancellationToken.None);
        var done = await Eventually.WaitAsync(
            () => h.Service.FindAsync(started.Id, CancellationToken.None), b => b!.Status == BackfillStatus.Done, "the backfill to finish");
        await runner.StopAsync(CancellationToken.None);

        Assert.Equal(50, done!.RowsDone);
        Assert.Equal(50, await h.CountAsync("SELECT count(DISTINCT new_row ->> 'id') FROM orchestrator.event_log WHERE operation = 'read'"));
    }

    [Fact]
    public async Task A_dropped_table_fails_its_backfill_with_the_reason_and_copies_nothing()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_dropped_table_fails_its_backfill_with_the_reason_and_copies_nothing), Setup, Pipelines.Definition("l"));
        var started = await h.StartAsync(new BackfillRequest { Input = "in", Table = "pairs" });
        await h.Database.ExecuteAsync("DROP TABLE pairs");

        var page = Assert.Single(await h.RunToEndAsync());

        Assert.NotNull(page.Failure);
        var failed = await h.Service.FindAsync(started.Id, CancellationToken.None);
        Assert.Equal(BackfillStatus.Failed, failed!.Status);
        Assert.Contains("pairs", failed.Error, StringComparison.Ordinal);
    }
}

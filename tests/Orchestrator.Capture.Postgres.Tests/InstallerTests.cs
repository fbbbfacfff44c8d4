using System.Text.Json;
using Npgsql;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>The installer and the trigger it installs, against real databases.</summary>
public sealed class InstallerTests
{
    private static async Task<PostgresDatabase> DatabaseAsync(string name, string sql)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        if (sql.Length > 0)
        {
            await database.ExecuteAsync(sql);
        }

        return database;
    }

    private static Task InstallAsync(PostgresDatabase database, int queueCount, params PostgresInputDefinition[] inputs) =>
        new PostgresCaptureInstaller(database.ConnectionString, queueCount).InstallAsync(new PipelineDefinition { Inputs = inputs }, CancellationToken.None);

    private static async Task<List<LoggedEvent>> LogAsync(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT input_id, queue_id, schema_name, table_name, operation, old_row::text, new_row::text, txid FROM orchestrator.event_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<LoggedEvent>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LoggedEvent(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7)));
        }

        return rows;
    }

    private static Task<List<string>> TriggersAsync(PostgresDatabase database) => database.DataSource.ListAsync(
        "SELECT format('%s %s.%s %s', t.tgname, n.nspname, c.relname, t.xmin) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal ORDER BY 1");

    private static string? Field(string? json, string name) => json is null ? null : JsonDocument.Parse(json).RootElement.GetProperty(name).ToString();

    [Fact]
    public async Task Insert_update_and_delete_are_logged_with_old_and_new_rows_in_the_same_transaction()
    {
        await using var database = await DatabaseAsync(nameof(Insert_update_and_delete_are_logged_with_old_and_new_rows_in_the_same_transaction), "CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, v text)");
        await InstallAsync(database, 4, new PostgresInputDefinition { Id = "in", Schema = "app" });

        await database.ExecuteAsync("INSERT INTO app.t VALUES (1, 'a')");
        var txid = await database.ScalarAsync<long>("UPDATE app.t SET v = 'b' RETURNING pg_current_xact_id()::text::bigint");
        await database.ExecuteAsync("DELETE FROM app.t");
        await database.ExecuteAsync("BEGIN; INSERT INTO app.t VALUES (2, 'rolled back'); ROLLBACK;");

        var log = await LogAsync(database);
        Assert.Equal(["insert", "update", "delete"], log.Select(r => r.Operation));
        Assert.All(log, r => Assert.Equal(("in", "app", "t"), (r.Input, r.Schema, r.Table)));
        Assert.Equal((null, "a"), (Field(log[0].Old, "v"), Field(log[0].New, "v")));
        Assert.Equal(("a", "b"), (Field(log[1].Old, "v"), Field(log[1].New, "v")));
        Assert.Equal(("b", null), (Field(log[2].Old, "v"), Field(log[2].New, "v")));
        Assert.Equal(txid, log[1].TransactionId);
        Assert.Single(log.Select(r => r.Queue).Distinct());
    }

    [Fact]
    public async Task Only_the_declared_operations_are_captured()
    {
        await using var database = await DatabaseAsync(nameof(Only_the_declared_operations_are_captured), "CREATE TABLE t (id int PRIMARY KEY)");
        await InstallAsync(database, 1, new PostgresInputDefinition { Id = "in", Operations = ["create", "delete"] });

        await database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await database.ExecuteAsync("UPDATE t SET id = 2");
        await database.ExecuteAsync("DELETE FROM t");

        Assert.Equal(["insert", "delete"], (await LogAsync(database)).Select(r => r.Operation));
    }

    [Fact]
    public async Task Installing_again_changes_nothing_and_an_undeclared_table_loses_its_trigger()
    {
        await using var database = await DatabaseAsync(nameof(Installing_again_changes_nothing_and_an_undeclared_table_loses_its_trigger), "CREATE TABLE a (id int); CREATE TABLE b (id int)");
        await InstallAsync(database, 2, new PostgresInputDefinition { Id = "in" });
        var installed = await TriggersAsync(database);

        await InstallAsync(database, 2, new PostgresInputDefinition { Id = "in" });
        Assert.Equal(installed, await TriggersAsync(database));
        Assert.Equal(2, installed.Count);

        await InstallAsync(database, 2, new PostgresInputDefinition { Id = "in", Tables = ["b"] });
        await database.ExecuteAsync("INSERT INTO a VALUES (1)");
        await database.ExecuteAsync("INSERT INTO b VALUES (1)");

        Assert.Equal(["orchestrator:in public.b"], (await TriggersAsync(database)).Select(t => t[..t.LastIndexOf(' ')]));
        Assert.Equal([("insert", "b")], (await LogAsync(database)).Select(r => (r.Operation, r.Table)));
    }

    [Fact]
    public async Task A_table_whose_name_needs_quoting_is_captured_and_injects_nothing()
    {
        const string table = "Odd \"name\"; drop";
        await using var database = await DatabaseAsync(nameof(A_table_whose_name_needs_quoting_is_captured_and_injects_nothing),
            "CREATE TABLE victim (id int); CREATE TABLE \"Odd \"\"name\"\"; drop\" (\"it's\" text PRIMARY KEY)");
        await InstallAsync(database, 3, new PostgresInputDefinition { Id = "in", Tables = [table] });

        await database.ExecuteAsync("INSERT INTO \"Odd \"\"name\"\"; drop\" VALUES ($1)", "x'); drop table victim; --");

        var row = Assert.Single(await LogAsync(database));
        Assert.Equal(table, row.Table);
        Assert.Equal("x'); drop table victim; --", Field(row.New, "it's"));
        Assert.Equal(["Odd \"name\"; drop", "victim"], await database.DataSource.ListAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"));
    }

    [Fact]
    public async Task Unknown_tables_and_schemas_are_typed_errors_and_nothing_is_installed_in_any_database()
    {
        await using var good = await DatabaseAsync(nameof(Unknown_tables_and_schemas_are_typed_errors_and_nothing_is_installed_in_any_database) + "good", "CREATE TABLE t (id int)");
        await using var bad = await DatabaseAsync(nameof(Unknown_tables_and_schemas_are_typed_errors_and_nothing_is_installed_in_any_database) + "bad", "CREATE TABLE t (id int); CREATE SCHEMA empty");
        PostgresInputDefinition[] inputs =
        [
            new() { Id = "fine", Tables = ["t"] },
            new() { Id = "broken", ConnectionString = bad.ConnectionString, Tables = ["t", "missing"] },
            new() { Id = "nowhere", ConnectionString = bad.ConnectionString, Schema = "nope", Tables = ["t"] },
            new() { Id = "hollow", ConnectionString = bad.ConnectionString, Schema = "empty" },
        ];

        var e = await Assert.ThrowsAsync<InvalidPipelineException>(() => new PostgresCaptureInstaller(good.ConnectionString, 1).InstallAsync(new PipelineDefinition { Inputs = inputs }, CancellationToken.None));

        Assert.Equal(
            [(PipelineErrorCode.UnknownTable, "inputs[1].tables[1]"), (PipelineErrorCode.UnknownSchema, "inputs[2].schema"), (PipelineErrorCode.UnknownSchema, "inputs[3].schema")],
            e.Errors.Select(x => (x.Code, x.Path)));
        Assert.Contains("'broken'", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'missing'", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", e.Errors[1].Message, StringComparison.Ordinal);
        foreach (var database in new[] { good, bad })
        {
            Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'orchestrator'"));
            Assert.Empty(await TriggersAsync(database));
        }
    }

    [Fact]
    public async Task An_unreachable_database_is_a_typed_error_that_does_not_show_the_password()
    {
        await using var database = await DatabaseAsync(nameof(An_unreachable_database_is_a_typed_error_that_does_not_show_the_password), "CREATE TABLE t (id int)");
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Password = "s3cret-pw", Timeout = 3 }.ConnectionString;

        var e = await Assert.ThrowsAsync<InvalidPipelineException>(() => new PostgresCaptureInstaller(database.ConnectionString, 1)
            .InstallAsync(new PipelineDefinition { Inputs = [new() { Id = "fine" }, new() { Id = "far", ConnectionString = unreachable }] }, CancellationToken.None));

        var error = Assert.Single(e.Errors);
        Assert.Equal((PipelineErrorCode.Unreachable, "inputs[1].connectionString"), (error.Code, error.Path));
        Assert.Contains("'far'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
        Assert.Empty(await TriggersAsync(database));
    }

    [Fact]
    public async Task A_value_of_one_mebibyte_is_logged_whole()
    {
        await using var database = await DatabaseAsync(nameof(A_value_of_one_mebibyte_is_logged_whole), "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await InstallAsync(database, 1, new PostgresInputDefinition { Id = "in" });
        var value = string.Concat(Enumerable.Range(0, 1024 * 1024 / 8).Select(i => i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));

        await database.ExecuteAsync("INSERT INTO t VALUES (1, $1)", value);

        Assert.Equal(value, Field(Assert.Single(await LogAsync(database)).New, "v"));
    }

    [Fact]
    public async Task The_changes_of_one_row_share_a_queue_and_rows_spread_over_the_queues()
    {
        await using var database = await DatabaseAsync(nameof(The_changes_of_one_row_share_a_queue_and_rows_spread_over_the_queues), "CREATE TABLE t (a int, b text, v text, PRIMARY KEY (a, b))");
        await InstallAsync(database, 4, new PostgresInputDefinition { Id = "in" });

        await database.ExecuteAsync("INSERT INTO t SELECT i, 'k', 'x' FROM generate_series(1, 200) i");
        await database.ExecuteAsync("UPDATE t SET v = 'y' WHERE a = 1");
        await database.ExecuteAsync("DELETE FROM t WHERE a = 1");

        var log = await LogAsync(database);
        var ofRowOne = log.Where(r => Field(r.New ?? r.Old, "a") == "1").Select(r => r.Queue).ToList();
        Assert.Equal(3, ofRowOne.Count);
        Assert.Single(ofRowOne.Distinct());
        Assert.Equal([0, 1, 2, 3], log.Select(r => r.Queue).Distinct().Order());
    }

    [Fact]
    public async Task A_new_queue_count_replaces_the_triggers_and_moves_waiting_events_into_the_queues()
    {
        await using var database = await DatabaseAsync(nameof(A_new_queue_count_replaces_the_triggers_and_moves_waiting_events_into_the_queues), "CREATE TABLE t (id int PRIMARY KEY)");
        await InstallAsync(database, 8, new PostgresInputDefinition { Id = "in" });
        await database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 100)");

        await InstallAsync(database, 2, new PostgresInputDefinition { Id = "in" });
        await database.ExecuteAsync("INSERT INTO t SELECT generate_series(101, 200)");

        Assert.Equal([0, 1], (await LogAsync(database)).Select(r => r.Queue).Distinct().Order());
        Assert.Equal(200, (await LogAsync(database)).Count);
    }

    [Fact]
    public async Task A_partitioned_table_is_captured_once_per_change()
    {
        await using var database = await DatabaseAsync(nameof(A_partitioned_table_is_captured_once_per_change),
            "CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100); CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (100) TO (200)");
        await InstallAsync(database, 2, new PostgresInputDefinition { Id = "in" });

        await database.ExecuteAsync("INSERT INTO p VALUES (1), (150)");

        Assert.Equal([("insert", "p1"), ("insert", "p2")], (await LogAsync(database)).Select(r => (r.Operation, r.Table)));
    }

    [Fact]
    public async Task A_writer_without_rights_on_the_capture_schema_is_still_captured()
    {
        var role = $"capture_writer_{Guid.NewGuid():N}";
        await using var database = await DatabaseAsync(nameof(A_writer_without_rights_on_the_capture_schema_is_still_captured), "CREATE TABLE t (id int PRIMARY KEY)");
        await InstallAsync(database, 1, new PostgresInputDefinition { Id = "in" });
        await database.ExecuteAsync($"CREATE ROLE \"{role}\"; GRANT INSERT ON t TO \"{role}\"");
        try
        {
            await database.ExecuteAsync($"BEGIN; SET LOCAL ROLE \"{role}\"; INSERT INTO t VALUES (1); COMMIT;");

            Assert.Single(await LogAsync(database));
            Assert.False(await database.ScalarAsync<bool>("SELECT has_schema_privilege($1, 'orchestrator', 'USAGE')", role));
        }
        finally
        {
            await database.ExecuteAsync($"DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\"");
        }
    }

    private sealed record LoggedEvent(string Input, int Queue, string Schema, string Table, string Operation, string? Old, string? New, long TransactionId);
}

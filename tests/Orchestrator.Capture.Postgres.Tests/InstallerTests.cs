using System.Text.Json;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

public sealed class InstallerTests
{
    private static async Task<PostgresDatabase> DatabaseAsync(string name, string sql)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        await database.ExecuteAsync(sql);
        return database;
    }

    private static async Task<List<(string Operation, string Table, string? Old, string? New)>> LogAsync(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("SELECT operation, table_name, old_row::text, new_row::text FROM orchestrator.event_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string?, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    private static string? Field(string? json, string name) => json is null ? null : JsonDocument.Parse(json).RootElement.GetProperty(name).ToString();

    [Fact]
    public async Task Insert_update_and_delete_are_logged_in_the_same_transaction_with_old_and_new_rows()
    {
        await using var database = await DatabaseAsync(nameof(Insert_update_and_delete_are_logged_in_the_same_transaction_with_old_and_new_rows), "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await new PostgresCaptureInstaller(database.ConnectionString, 4).InstallAsync([new PostgresInputDefinition { Id = "in" }], CancellationToken.None);

        await database.ExecuteAsync("INSERT INTO t VALUES (1, 'a')");
        await database.ExecuteAsync("UPDATE t SET v = 'b'");
        await database.ExecuteAsync("DELETE FROM t");
        await database.ExecuteAsync("BEGIN; INSERT INTO t VALUES (2, 'rolled back'); ROLLBACK;");

        var log = await LogAsync(database);
        Assert.Equal(["insert", "update", "delete"], log.Select(r => r.Operation));
        Assert.All(log, r => Assert.Equal("t", r.Table));
        Assert.Equal((null, "a"), (Field(log[0].Old, "v"), Field(log[0].New, "v")));
        Assert.Equal(("a", "b"), (Field(log[1].Old, "v"), Field(log[1].New, "v")));
        Assert.Equal(("b", null), (Field(log[2].Old, "v"), Field(log[2].New, "v")));
    }

    [Fact]
    public async Task Only_the_declared_operations_are_captured()
    {
        await using var database = await DatabaseAsync(nameof(Only_the_declared_operations_are_captured), "CREATE TABLE t (id int PRIMARY KEY)");
        await new PostgresCaptureInstaller(database.ConnectionString, 1).InstallAsync([new PostgresInputDefinition { Id = "in", Operations = ["delete"] }], CancellationToken.None);

        await database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await database.ExecuteAsync("UPDATE t SET id = 2");
        await database.ExecuteAsync("DELETE FROM t");

        Assert.Equal(["delete"], (await LogAsync(database)).Select(r => r.Operation));
    }

    [Fact]
    public async Task Installing_again_changes_nothing_and_a_dropped_table_loses_its_trigger()
    {
        await using var database = await DatabaseAsync(nameof(Installing_again_changes_nothing_and_a_dropped_table_loses_its_trigger), "CREATE TABLE a (id int); CREATE TABLE b (id int)");
        var installer = new PostgresCaptureInstaller(database.ConnectionString, 2);

        await installer.InstallAsync([new PostgresInputDefinition { Id = "in" }], CancellationToken.None);
        await installer.InstallAsync([new PostgresInputDefinition { Id = "in" }], CancellationToken.None);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));

        await installer.InstallAsync([new PostgresInputDefinition { Id = "in", Tables = ["b"] }], CancellationToken.None);
        await database.ExecuteAsync("INSERT INTO a VALUES (1)");
        await database.ExecuteAsync("INSERT INTO b VALUES (1)");

        Assert.Equal([("insert", "b")], (await LogAsync(database)).Select(r => (r.Operation, r.Table)));
    }

    [Fact]
    public async Task A_table_whose_name_needs_quoting_is_captured_and_injects_nothing()
    {
        const string table = "Odd \"name\"; drop table victim; --";
        await using var database = await DatabaseAsync(nameof(A_table_whose_name_needs_quoting_is_captured_and_injects_nothing),
            "CREATE TABLE victim (id int); CREATE TABLE \"Odd \"\"name\"\"; drop table victim; --\" (\"it's\" text PRIMARY KEY)");
        await new PostgresCaptureInstaller(database.ConnectionString, 3).InstallAsync([new PostgresInputDefinition { Id = "in", Tables = [table] }], CancellationToken.None);

        await database.ExecuteAsync("INSERT INTO \"Odd \"\"name\"\"; drop table victim; --\" VALUES ('x''); drop table victim; --')");

        var row = Assert.Single(await LogAsync(database));
        Assert.Equal(table, row.Table);
        Assert.Equal("x'); drop table victim; --", Field(row.New, "it's"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'victim'"));
    }

    [Fact]
    public async Task Unknown_tables_and_schemas_are_typed_errors_and_nothing_is_installed_anywhere()
    {
        await using var database = await DatabaseAsync(nameof(Unknown_tables_and_schemas_are_typed_errors_and_nothing_is_installed_anywhere), "CREATE TABLE good (id int)");
        PostgresInputDefinition[] inputs =
        [
            new() { Id = "fine", Tables = ["good"] },
            new() { Id = "broken", Tables = ["good", "missing"] },
            new() { Id = "empty", Schema = "nope" },
        ];

        var e = await Assert.ThrowsAsync<InvalidPipelineException>(() => new PostgresCaptureInstaller(database.ConnectionString, 1).InstallAsync(inputs, CancellationToken.None));

        Assert.Equal(
            [(PipelineErrorCode.UnknownTable, "inputs[1].tables[1]"), (PipelineErrorCode.UnknownSchema, "inputs[2].schema")],
            e.Errors.Select(x => (x.Code, x.Path)));
        Assert.Contains("'broken'", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'missing'", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'orchestrator'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));
    }

    [Fact]
    public async Task A_row_of_one_mebibyte_is_logged_whole()
    {
        await using var database = await DatabaseAsync(nameof(A_row_of_one_mebibyte_is_logged_whole), "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await new PostgresCaptureInstaller(database.ConnectionString, 1).InstallAsync([new PostgresInputDefinition { Id = "in" }], CancellationToken.None);
        var value = new string('x', 1024 * 1024);

        await database.ExecuteAsync("INSERT INTO t VALUES (1, $1)", value);

        Assert.Equal(value, Field(Assert.Single(await LogAsync(database)).New, "v"));
    }
}

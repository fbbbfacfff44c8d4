using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>Links' filters checked against the database before anything is installed, and the filtered triggers they install.</summary>
public sealed class FilterInstallTests
{
    private const string Setup = "CREATE TABLE orders (id int PRIMARY KEY, status text, amount numeric, paid_at timestamptz); CREATE TABLE notes (id int PRIMARY KEY)";

    private static PipelineDefinition Definition(params LinkFilterDefinition?[] filters) => new()
    {
        Inputs = [new PostgresInputDefinition { Id = "in" }],
        Processes = [new ContainerProcessDefinition { Id = "p", Image = "unused", Command = ["true"] }],
        Links = filters.Select((f, i) => new LinkDefinition { Id = $"l{i}", Input = "in", Process = "p", Filter = f }).ToList(),
    };

    private static Task InstallAsync(PostgresDatabase database, PipelineDefinition definition) =>
        new PostgresCaptureInstaller(database.ConnectionString, 2).InstallAsync(definition, CancellationToken.None);

    private static Task<List<string>> TriggersAsync(PostgresDatabase database) => database.DataSource.ListAsync(
        "SELECT format('%s on %s: %s [%s]', t.tgname, c.relname, coalesce(obj_description(t.oid, 'pg_trigger'), 'no filter'), t.xmin) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal ORDER BY 1");

    [Fact]
    public async Task A_condition_that_does_not_parse_is_refused_with_its_path_and_position()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_condition_that_does_not_parse_is_refused_with_its_path_and_position));
        await database.ExecuteAsync(Setup);

        var e = await Assert.ThrowsAsync<InvalidPipelineException>(() => InstallAsync(database, Definition(null, new() { When = "status == 'paid' and" })));

        var error = Assert.Single(e.Errors);
        Assert.Equal((PipelineErrorCode.InvalidFilter, "links[1].filter.when"), (error.Code, error.Path));
        Assert.Contains("(at character 21)", error.Message, StringComparison.Ordinal);
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('orchestrator.event_log') IS NULL"));
    }

    [Fact]
    public async Task Unknown_tables_and_columns_and_ill_typed_literals_are_all_refused_and_nothing_is_installed()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Unknown_tables_and_columns_and_ill_typed_literals_are_all_refused_and_nothing_is_installed));
        await database.ExecuteAsync(Setup);

        var e = await Assert.ThrowsAsync<InvalidPipelineException>(() => InstallAsync(database, Definition(
            new() { Tables = ["orders", "nope"] },
            new() { Tables = ["orders"], When = "new.statuz = 'paid'" },
            new() { Tables = ["orders"], Columns = ["status", "amont"] },
            new() { Tables = ["orders"], When = "status = 'paid' and amount > 'ten'" },
            new() { Tables = ["orders"], When = "paid_at > '2026-01-01T00:00:00'" },
            new() { When = "id in (1, 2)" })));

        Assert.Equal(
            [
                (PipelineErrorCode.UnknownTable, "links[0].filter.tables[1]"),
                (PipelineErrorCode.UnknownColumn, "links[1].filter.when"),
                (PipelineErrorCode.UnknownColumn, "links[2].filter.columns[1]"),
                (PipelineErrorCode.InvalidFilter, "links[3].filter.when"),
                (PipelineErrorCode.InvalidFilter, "links[4].filter.when"),
            ],
            e.Errors.Select(x => (x.Code, x.Path)));
        Assert.Contains("table 'orders' has no column 'statuz' (at character 1)", e.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("column 'amount' is a number; it cannot be compared with a 'text' literal (at character 30)", e.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("with its offset", e.Errors[4].Message, StringComparison.Ordinal);
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('orchestrator.event_log') IS NULL"));
    }

    [Fact]
    public async Task Filtered_links_get_one_trigger_per_operation_and_a_reinstall_changes_only_what_changed()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Filtered_links_get_one_trigger_per_operation_and_a_reinstall_changes_only_what_changed));
        await database.ExecuteAsync(Setup);
        var filtered = Definition(new() { Tables = ["orders"], Operations = ["insert", "update"], When = "amount > 10" }, new() { Tables = ["orders"], Operations = ["delete"] });

        await InstallAsync(database, filtered);
        var first = await TriggersAsync(database);
        await InstallAsync(database, filtered);

        Assert.Equal(first, await TriggersAsync(database));
        Assert.Equal(
            ["orchestrator:in:delete on orders: no filter", "orchestrator:in:insert on orders: ((NEW.\"amount\" > '10'::numeric))", "orchestrator:in:update on orders: ((NEW.\"amount\" > '10'::numeric))"],
            first.Select(t => t[..t.LastIndexOf(" [", StringComparison.Ordinal)]));

        await InstallAsync(database, Definition(new() { Tables = ["orders"], Operations = ["insert", "update"], When = "amount > 10" }, null));
        Assert.Equal(["orchestrator:in on notes: no filter", "orchestrator:in on orders: no filter"], (await TriggersAsync(database)).Select(t => t[..t.LastIndexOf(" [", StringComparison.Ordinal)]));

        await InstallAsync(database, filtered);
        var again = await TriggersAsync(database);
        Assert.Equal(first.Select(t => t[..t.LastIndexOf(" [", StringComparison.Ordinal)]), again.Select(t => t[..t.LastIndexOf(" [", StringComparison.Ordinal)]));

        await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'new', 5), (2, 'new', 50); INSERT INTO notes VALUES (1); DELETE FROM orders WHERE id = 1");
        Assert.Equal(
            ["insert 2", "delete 1"],
            await database.DataSource.ListAsync("SELECT operation || ' ' || (coalesce(new_row, old_row) ->> 'id') FROM orchestrator.event_log ORDER BY id"));
    }
}

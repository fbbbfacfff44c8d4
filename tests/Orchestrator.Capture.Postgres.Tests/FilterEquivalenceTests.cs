using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres.Filters;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>
/// The two evaluation paths of a link filter agree: for every change of a table with numeric, float, text, boolean,
/// timestamp, timestamptz and jsonb columns and NULLs, the silo's verdict on the event an unfiltered trigger captured
/// equals whether the trigger filtered by the same filter (its WHEN) wrote the change into the event log.
/// </summary>
public sealed class FilterEquivalenceTests
{
    private const string Setup = """
        CREATE TABLE items (
            id int PRIMARY KEY, n numeric(10,2), r real, d double precision, t varchar(20), b boolean,
            ts timestamp, tz timestamptz, j jsonb);
        CREATE TABLE side (LIKE items INCLUDING ALL);
        """;

    // Every form of the language, each as one link's filter on its own input.
    private static readonly LinkFilterDefinition[] Filters =
    [
        new() { When = "n > 10" },
        new() { When = "n = 10.5 or n <= -1" },
        new() { When = "r < 1.5 and d >= 2.25" },
        new() { When = "t == 'paid'" },
        new() { When = "t < 'm' and t <> 'a'" },
        new() { When = "t in ('a', 'paid', 'Ärger') or n not in (1, 2)" },
        new() { When = "b = true or not b != false" },
        new() { When = "ts < '2026-01-01T12:00:00' and tz >= '2026-01-01T12:00:00+02:00'" },
        new() { When = "t is null or n is not null and j is null" },
        new() { When = "changed(t)" },
        new() { When = "changed(j) or changed(tz) or changed(r)" },
        new() { When = "new.t == 'paid' and old.t != 'paid'" },
        new() { When = "old.n is null and new.n is not null" },
        new() { When = "not (n > 5)" },
        new() { Operations = ["update"], Columns = ["t", "n"] },
        new() { Operations = ["insert", "delete"], When = "id > 2" },
        new() { Tables = ["side"] },
        new() { Tables = ["items"], Operations = ["update"], Columns = ["b"], When = "new.d > 3 or old.d is null" },
    ];

    private static readonly string[] Changes =
    [
        "INSERT INTO items VALUES (1, 10.50, 1.1, 2.25, 'paid', true, '2026-01-01 11:00', '2026-01-01 09:30+00', '{\"a\": 1}')",
        "INSERT INTO items VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        "INSERT INTO items VALUES (3, -1, 1.5, 2.2, 'a', false, '2026-01-01 12:00', '2026-01-01 10:00+00', '[1, 2]')",
        "INSERT INTO items VALUES (4, 11, 0.5, 3, 'Ärger', true, '2025-12-31 23:59:59.999999', '2026-01-01 10:00:00.000001+00', 'null')",
        "INSERT INTO side (id, t, n) VALUES (1, 'x', 20)",
        "UPDATE items SET t = 'paid', n = 12 WHERE id = 3",
        "UPDATE items SET t = 'paid' WHERE id = 1",
        "UPDATE items SET n = 10.5 WHERE id = 1",
        "UPDATE items SET j = '{\"a\":  1}', tz = '2026-01-01 15:00+05:30', r = 1.1 WHERE id = 1",
        "UPDATE items SET n = 1, t = 'b', b = false, d = 4 WHERE id = 2",
        "UPDATE items SET n = NULL, t = NULL, b = NULL, d = NULL WHERE id = 4",
        "UPDATE items SET j = '{\"a\": 2}', r = 'NaN', d = 'Infinity' WHERE id = 3",
        "UPDATE side SET t = 'y'",
        "DELETE FROM items WHERE id IN (1, 2)",
        "DELETE FROM items WHERE id = 4",
        "DELETE FROM side",
    ];

    [Fact]
    public async Task The_trigger_and_the_silo_let_the_same_changes_through()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(FilterEquivalenceTests));
        await database.ExecuteAsync(Setup);
        var definition = Definition();
        await new PostgresCaptureInstaller(database.ConnectionString, 2).InstallAsync(definition, CancellationToken.None);

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await using var zone = connection.CreateCommand();
            zone.CommandText = "SET TimeZone = 'Asia/Kolkata'";
            await zone.ExecuteNonQueryAsync();
            foreach (var change in Changes)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = change;
                await command.ExecuteNonQueryAsync();
            }
        }

        var logged = await LoggedAsync(database);
        var all = logged.Where(e => e.InputId == "all").ToList();
        Assert.Equal(Changes.Length + 1, all.Count);
        var filters = new PostgresLinkFilters(new InputConnections(database.ConnectionString));
        var mismatches = new List<string>();
        for (var f = 0; f < Filters.Length; f++)
        {
            var link = definition.Links[f + 1];
            var filter = await filters.GetAsync(link, definition.Inputs[f + 1], CancellationToken.None);
            var written = logged.Where(e => e.InputId == link.Input).Select(Key).ToHashSet();
            mismatches.AddRange(all.Where(e => filter!.Passes(e) != written.Contains(Key(e)))
                .Select(e => $"filter {f} ({Filters[f].When}): silo {filter!.Passes(e)}, trigger {written.Contains(Key(e))} on {e.Operation} {e.OldRow} -> {e.NewRow}"));
            Assert.True(written.Count > 0 || Filters[f].Tables is not null, $"filter {f} let nothing through: the rows do not exercise it");
        }

        Assert.Empty(mismatches);
    }

    private static (long, ChangeOperation, string, string?, string?) Key(CapturedEvent e) => (e.TransactionId, e.Operation, e.Table, e.OldRow, e.NewRow);

    private static PipelineDefinition Definition()
    {
        var inputs = new List<PostgresInputDefinition> { new() { Id = "all", Tables = ["items", "side"] } };
        var links = new List<LinkDefinition> { new() { Id = "all", Input = "all", Process = "p" } };
        for (var f = 0; f < Filters.Length; f++)
        {
            inputs.Add(new() { Id = $"f{f}", Tables = ["items", "side"] });
            links.Add(new() { Id = $"f{f}", Input = $"f{f}", Process = "p", Filter = Filters[f] });
        }

        return new()
        {
            Inputs = inputs,
            Processes = [new ContainerProcessDefinition { Id = "p", Image = "unused", Command = ["true"] }],
            Links = links,
        };
    }

    private static async Task<List<CapturedEvent>> LoggedAsync(PostgresDatabase database)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, input_id, table_name, operation, old_row::text, new_row::text, txid FROM orchestrator.event_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<CapturedEvent>();
        while (await reader.ReadAsync())
        {
            Assert.True(ChangeOperations.TryParseLogged(reader.GetString(3), out var operation));
            events.Add(new CapturedEvent(
                reader.GetInt64(0), reader.GetString(1), "public", reader.GetString(2), operation,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6), DateTimeOffset.UtcNow));
        }

        return events;
    }
}

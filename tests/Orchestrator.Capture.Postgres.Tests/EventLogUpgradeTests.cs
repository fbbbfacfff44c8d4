using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>An event log made before backfills is upgraded in place: read events allowed, the links column added.</summary>
public sealed class EventLogUpgradeTests
{
    [Fact]
    public async Task An_event_log_without_read_events_is_upgraded_keeping_its_rows_and_installing_again_changes_nothing()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(An_event_log_without_read_events_is_upgraded_keeping_its_rows_and_installing_again_changes_nothing));
        await database.ExecuteAsync(
            """
            CREATE TABLE items (id int PRIMARY KEY);
            CREATE SCHEMA orchestrator;
            CREATE TABLE orchestrator.event_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, input_id text NOT NULL, queue_id integer NOT NULL,
                schema_name text NOT NULL, table_name text NOT NULL,
                operation text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
                old_row jsonb, new_row jsonb, txid bigint NOT NULL, captured_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                deliveries integer NOT NULL DEFAULT 0, visible_at timestamptz NOT NULL DEFAULT '-infinity');
            INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, new_row, txid)
            VALUES ('in', 0, 'public', 'items', 'insert', '{"id": 1}', 1);
            """);
        var installer = new PostgresCaptureInstaller(database.ConnectionString, 1);

        await installer.InstallAsync(Pipelines.Definition("l"), CancellationToken.None);
        await installer.InstallAsync(Pipelines.Definition("l"), CancellationToken.None);
        await database.ExecuteAsync(
            "INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, new_row, txid, links) VALUES ('in', 0, 'public', 'items', 'read', '{}', 1, '{l}')");

        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log"));
        Assert.Equal(1, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'orchestrator.event_log'::regclass AND contype = 'c' AND conname = 'event_log_operation_check'"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.ExecuteAsync(
            "INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, txid) VALUES ('in', 0, 'public', 'items', 'upsert', 1)"));
    }
}

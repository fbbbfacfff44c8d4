using Npgsql;
using NpgsqlTypes;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// Copies pages of running backfills. A page is one transaction: the backfill's row is locked (rows another runner
/// holds are skipped), the page's events are inserted and the cursor and count move, and all of it commits or
/// none of it does. A crash at any point therefore leaves the cursor exactly after the last committed page.
/// </summary>
internal static class BackfillPages
{
    /// <summary>
    /// Copies the next page of the oldest running backfill of <paramref name="store"/>'s database that no other
    /// runner holds and whose input has fewer than <paramref name="maxPending"/> read events waiting; returns what
    /// it did, or null when there was nothing to do.
    /// </summary>
    public static async Task<BackfillPageResult?> CopyNextAsync(BackfillStore store, int queueCount, int maxPending, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ClaimAsync(connection, transaction, maxPending, cancellationToken) is not { } claimed)
        {
            return null;
        }

        string? failure = null;
        var copied = 0;
        await using (var save = new NpgsqlCommand("SAVEPOINT page", connection, transaction))
        {
            await save.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            copied = await CopyAsync(connection, transaction, claimed, queueCount, cancellationToken);
        }
        catch (PostgresException e) when (!IsTransient(e))
        {
            failure = e.MessageText;
        }
        catch (InvalidFilterException e)
        {
            failure = "the filter no longer fits the table: " + e.Message;
        }

        if (failure is not null)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT page", connection, transaction);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE orchestrator.backfills SET status = 'failed', error = $2, updated_at = now(), finished_at = now() WHERE id = $1",
                cancellationToken,
                claimed.Id,
                failure);
        }

        await transaction.CommitAsync(cancellationToken);
        return new BackfillPageResult(claimed.Id, copied, failure is null && copied == claimed.PageSize, failure);
    }

    private static async Task<ClaimedBackfill?> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int maxPending, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT b.id, b.input_id, b.schema_name, b.table_name, b.key_columns, b.filter, b.links, b.page_size, b.cursor::text
              FROM orchestrator.backfills b
             WHERE b.status = 'running'
               AND (SELECT count(*) FROM (SELECT FROM orchestrator.event_log e
                                           WHERE e.input_id = b.input_id AND e.operation = 'read' LIMIT $1) w) < $1
             ORDER BY b.created_at, b.id
             LIMIT 1
               FOR UPDATE OF b SKIP LOCKED
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(maxPending);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ClaimedBackfill(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetFieldValue<string[]>(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6),
            reader.GetInt32(7),
            reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    private static async Task<int> CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedBackfill backfill, int queueCount, CancellationToken cancellationToken)
    {
        var columns = await CaptureCatalog.ReadColumnsAsync(connection, backfill.Schema, backfill.Table, cancellationToken)
            ?? throw new InvalidFilterException($"table '{backfill.Schema}.{backfill.Table}' no longer exists", 1);
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)backfill.Cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(backfill.PageSize);
        command.Parameters.AddWithValue(backfill.Input);
        command.Parameters.AddWithValue(backfill.KeyColumns.ToArray());
        command.Parameters.AddWithValue(queueCount);
        command.Parameters.AddWithValue(backfill.Schema);
        command.Parameters.AddWithValue(backfill.Table);
        command.Parameters.Add(BackfillStore.LinksParameter(backfill.Links));
        var filter = backfill.Where is null ? null : BackfillFilter.Compile(FilterParser.Parse(backfill.Where), columns, command);
        command.CommandText = BackfillPageSql.Build(backfill.Schema, backfill.Table, backfill.KeyColumns, filter);

        int copied;
        string? cursor;
        int[] queues;
        int bounded;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            copied = reader.GetInt32(0);
            cursor = reader.IsDBNull(1) ? null : reader.GetString(1);
            queues = reader.GetFieldValue<int[]>(2);
            bounded = reader.GetInt32(3);
        }

        await ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE orchestrator.backfills
               SET cursor = coalesce($2::jsonb, cursor), rows_done = rows_done + $3, updated_at = now(),
                   status = CASE WHEN $4 < page_size THEN 'done' ELSE 'running' END,
                   finished_at = CASE WHEN $4 < page_size THEN now() END
             WHERE id = $1
            """,
            cancellationToken,
            backfill.Id,
            new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb },
            copied,
            bounded);
        await ExecuteAsync(connection, transaction, $"SELECT pg_notify('{SqlNames.Channel}', q::text) FROM unnest($1::integer[]) AS q", cancellationToken, queues);
        return copied;
    }

    // Errors that say nothing about the backfill itself (connection, shutdown, resources, conflicts): the page is
    // simply tried again later.
    private static bool IsTransient(PostgresException e) => e.IsTransient || e.SqlState[..2] is "08" or "40" or "53" or "55" or "57";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record ClaimedBackfill(
        string Id, string Input, string Schema, string Table, string[] KeyColumns, string? Where, string[]? Links, int PageSize, string? Cursor);
}

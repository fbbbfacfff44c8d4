using Npgsql;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The event log of one database as a leased queue: read under a lease, delete by receipt, release by receipt.
/// A receipt (id and delivery count) proves the lease is still the caller's: once the lease expired and another
/// reader took the event, the old receipt matches nothing.
/// </summary>
internal sealed class EventLogStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Leases up to <paramref name="maxCount"/> visible events of <paramref name="queue"/>, oldest id first. An
    /// event of an input in <paramref name="orderedInputs"/> (those with per-row links) is handed out only when no
    /// earlier event of its row is left in the log — leased by another reader (perhaps a dead one), released after
    /// a failed delivery, or visible in this very read — so a row has at most one event in flight, and its jobs are
    /// made in the order of its events.
    /// </summary>
    public async Task<List<LeasedEvent>> LeaseAsync(int queue, int maxCount, TimeSpan lease, IReadOnlyCollection<string> orderedInputs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE orchestrator.event_log e
               SET deliveries = e.deliveries + 1, visible_at = now() + $3
              FROM (SELECT c.id FROM orchestrator.event_log c
                     WHERE c.queue_id = $1 AND c.visible_at <= now()
                       AND (c.row_key IS NULL OR NOT (c.input_id = ANY($4)) OR NOT EXISTS (
                            SELECT FROM orchestrator.event_log p
                             WHERE p.row_key = c.row_key AND p.id < c.id AND p.input_id = c.input_id))
                     ORDER BY c.id LIMIT $2
                       FOR UPDATE SKIP LOCKED) picked
             WHERE e.id = picked.id
            RETURNING e.id, e.input_id, e.schema_name, e.table_name, e.operation, e.old_row::text, e.new_row::text,
                      e.txid, e.captured_at, e.deliveries, e.links, e.row_key
            """);
        command.Parameters.AddWithValue(queue);
        command.Parameters.AddWithValue(maxCount);
        command.Parameters.AddWithValue(lease);
        command.Parameters.AddWithValue(orderedInputs.ToArray());
        var leased = new List<LeasedEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                leased.Add(new LeasedEvent(Read(reader), reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<string[]>(10)));
            }
        }

        leased.Sort((a, b) => a.Event.Id.CompareTo(b.Event.Id));
        return leased;
    }

    /// <summary>Deletes the events whose receipts still match; returns how many.</summary>
    public async Task<int> DeleteAsync(IReadOnlyCollection<EventReceipt> receipts, CancellationToken cancellationToken)
    {
        if (receipts.Count == 0)
        {
            return 0;
        }

        await using var command = ReceiptCommand(
            """
            DELETE FROM orchestrator.event_log e
             USING unnest($1::bigint[], $2::integer[]) AS r(id, deliveries)
             WHERE e.id = r.id AND e.deliveries = r.deliveries
            """,
            receipts);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes the events whose receipts still match visible again at once, and wakes their queues' readers; returns
    /// how many.
    /// </summary>
    public async Task<int> ReleaseAsync(IReadOnlyCollection<EventReceipt> receipts, CancellationToken cancellationToken)
    {
        if (receipts.Count == 0)
        {
            return 0;
        }

        await using var command = ReceiptCommand(
            $"""
            WITH released AS (
                UPDATE orchestrator.event_log e SET visible_at = now()
                  FROM unnest($1::bigint[], $2::integer[]) AS r(id, deliveries)
                 WHERE e.id = r.id AND e.deliveries = r.deliveries
                RETURNING e.queue_id)
            SELECT count(*)::integer, pg_notify('{SqlNames.Channel}', queue_id::text) FROM released GROUP BY queue_id
            """,
            receipts);
        var released = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            released += reader.GetInt32(0);
        }

        return released;
    }

    private NpgsqlCommand ReceiptCommand(string sql, IReadOnlyCollection<EventReceipt> receipts)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(receipts.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue(receipts.Select(r => r.Deliveries).ToArray());
        return command;
    }

    private static CapturedEvent Read(NpgsqlDataReader reader)
    {
        var operation = reader.GetString(4);
        return new CapturedEvent(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            ChangeOperations.TryParseLogged(operation, out var parsed) ? parsed : throw new InvalidOperationException($"Event {reader.GetInt64(0)} has the unknown operation '{operation}'."),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(11) ? null : reader.GetString(11));
    }
}

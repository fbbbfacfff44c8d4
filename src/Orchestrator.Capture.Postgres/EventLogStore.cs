using Npgsql;
using NpgsqlTypes;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>The event log's queue operations on one database: lease, delete by receipt, release by receipt.</summary>
internal sealed class EventLogStore(NpgsqlDataSource dataSource)
{
    /// <summary>Leases up to <paramref name="maxCount"/> visible events of <paramref name="queue"/>, oldest id first.</summary>
    public async Task<List<LeasedEvent>> LeaseAsync(int queue, int maxCount, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE orchestrator.event_log e
               SET deliveries = e.deliveries + 1, visible_at = clock_timestamp() + $3 * interval '1 millisecond'
              FROM (SELECT id FROM orchestrator.event_log
                     WHERE queue_id = $1 AND visible_at <= clock_timestamp()
                     ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) picked
             WHERE e.id = picked.id
            RETURNING e.id, e.input_id, e.schema_name, e.table_name, e.operation, e.old_row::text, e.new_row::text,
                      e.txid, e.captured_at, e.deliveries
            """);
        command.Parameters.AddWithValue(queue);
        command.Parameters.AddWithValue(maxCount);
        command.Parameters.AddWithValue(lease.TotalMilliseconds);
        var leased = new List<LeasedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!ChangeOperations.TryParse(reader.GetString(4), out var operation))
            {
                throw new InvalidOperationException($"Event {reader.GetInt64(0)} has an unknown operation '{reader.GetString(4)}'.");
            }

            var captured = new CapturedEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                operation,
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt64(7),
                reader.GetFieldValue<DateTimeOffset>(8));
            leased.Add(new LeasedEvent(captured, reader.GetInt32(9)));
        }

        leased.Sort((a, b) => a.Event.Id.CompareTo(b.Event.Id));
        return leased;
    }

    /// <summary>Deletes the events whose delivery count still matches the receipt; returns how many.</summary>
    public Task<int> DeleteAsync(IReadOnlyCollection<Receipt> receipts, CancellationToken cancellationToken) =>
        ByReceiptAsync("DELETE FROM orchestrator.event_log e USING unnest($1, $2) AS r(id, deliveries) WHERE e.id = r.id AND e.deliveries = r.deliveries", receipts, cancellationToken);

    /// <summary>Makes the events visible again at once when the receipt still matches (nobody else leased them since).</summary>
    public Task<int> ReleaseAsync(IReadOnlyCollection<Receipt> receipts, CancellationToken cancellationToken) =>
        ByReceiptAsync("UPDATE orchestrator.event_log e SET visible_at = clock_timestamp() FROM unnest($1, $2) AS r(id, deliveries) WHERE e.id = r.id AND e.deliveries = r.deliveries", receipts, cancellationToken);

    private async Task<int> ByReceiptAsync(string sql, IReadOnlyCollection<Receipt> receipts, CancellationToken cancellationToken)
    {
        if (receipts.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = receipts.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = receipts.Select(r => r.Deliveries).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>An event read under a lease; <paramref name="Deliveries"/> is the receipt of this read.</summary>
internal sealed record LeasedEvent(CapturedEvent Event, int Deliveries);

/// <summary>Proof of one read of an event: its id and the delivery count that read set.</summary>
internal readonly record struct Receipt(long Id, int Deliveries);

using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// The SQL of <c>orchestrator.jobs</c> for the grain storage: reads and versioned writes of many records in one
/// statement each. A write names the version it read (null: the record must not exist yet); a record whose
/// version has moved on, or that exists when it should not, is not written and its caller learns of the conflict.
/// Every write records <c>silo</c>, the address of the silo writing (null: none, as for a moved record), for the rescuer.
/// </summary>
internal sealed class JobRecordStore(NpgsqlDataSource dataSource, string serviceId, string? silo)
{
    private const string ReadSql = """
        SELECT job_id, version, record::text
          FROM orchestrator.jobs
         WHERE service_id = $1 AND job_id = ANY($2)
        """;

    private const string WriteSql = """
        WITH w AS (
            SELECT * FROM unnest($2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::bigint[], $10::text[], $11::integer[], $12::timestamptz[], $13::timestamptz[],
                                 $14::timestamptz[], $15::bigint[], $16::text[], $17::jsonb[], $19::text[])
                AS w(job_id, expected, link_id, process_id, input_id, schema_name, table_name, event_id, status,
                     attempts, created_at, updated_at, finished_at, last_exit_code, replay_of, record, row_key)
        ), updated AS (
            UPDATE orchestrator.jobs AS j
               SET status = w.status, attempts = w.attempts, updated_at = w.updated_at, finished_at = w.finished_at,
                   last_exit_code = w.last_exit_code, replay_of = w.replay_of, record = w.record, version = j.version + 1,
                   silo = $18
              FROM w
             WHERE j.service_id = $1 AND j.job_id = w.job_id AND w.expected IS NOT NULL AND j.version = w.expected
            RETURNING j.job_id, j.version
        ), inserted AS (
            INSERT INTO orchestrator.jobs AS j (service_id, job_id, link_id, process_id, input_id, schema_name, table_name,
                                                event_id, status, attempts, created_at, updated_at, finished_at,
                                                last_exit_code, replay_of, version, record, silo, row_key)
            SELECT $1, w.job_id, w.link_id, w.process_id, w.input_id, w.schema_name, w.table_name, w.event_id, w.status,
                   w.attempts, w.created_at, w.updated_at, w.finished_at, w.last_exit_code, w.replay_of, 1, w.record, $18,
                   w.row_key
              FROM w
             WHERE w.expected IS NULL
            ON CONFLICT (service_id, job_id) DO NOTHING
            RETURNING j.job_id, j.version
        )
        SELECT job_id, version FROM updated
        UNION ALL
        SELECT job_id, version FROM inserted
        """;

    private const string DeleteSql = """
        DELETE FROM orchestrator.jobs WHERE service_id = $1 AND job_id = $2 AND version = $3
        """;

    /// <summary>The stored version and document of each id that has a record.</summary>
    public async Task<IReadOnlyList<StoredJob?>> ReadAsync(IReadOnlyList<string> jobIds)
    {
        await using var command = dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = jobIds.Distinct(StringComparer.Ordinal).ToArray() });
        var found = new Dictionary<string, StoredJob>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found[reader.GetString(0)] = new StoredJob(reader.GetInt32(1), reader.GetString(2));
            }
        }

        return jobIds.Select(id => found.GetValueOrDefault(id)).ToList();
    }

    /// <summary>
    /// Writes every row whose expected version still holds, in one statement per round; returns each write's new
    /// version, or null for a conflict. Writes of one job go in separate rounds, in order.
    /// </summary>
    public async Task<IReadOnlyList<int?>> WriteAsync(IReadOnlyList<JobWrite> writes)
    {
        var results = new int?[writes.Count];
        foreach (var round in Rounds(writes))
        {
            var written = await WriteRoundAsync(round.Select(i => writes[i]).ToList());
            foreach (var i in round)
            {
                results[i] = written.TryGetValue(writes[i].Row.JobId, out var version) ? version : null;
            }
        }

        return results;
    }

    /// <summary>Deletes the record if it is still at <paramref name="version"/>; false on a conflict.</summary>
    public async Task<bool> DeleteAsync(string jobId, int version)
    {
        await using var command = dataSource.CreateCommand(DeleteSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = jobId });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private async Task<Dictionary<string, int>> WriteRoundAsync(List<JobWrite> writes)
    {
        await using var command = dataSource.CreateCommand(WriteSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = serviceId });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.JobId).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.ExpectedVersion).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.LinkId).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.ProcessId).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.InputId).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.SchemaName).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.TableName).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.EventId).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.Status).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.Attempts).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.CreatedAt.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.UpdatedAt.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.FinishedAt?.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.LastExitCode).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.ReplayOf).ToArray() });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.Record).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<string?> { TypedValue = silo });
        p.Add(new NpgsqlParameter { Value = writes.Select(w => w.Row.RowKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written[reader.GetString(0)] = reader.GetInt32(1);
        }

        return written;
    }

    /// <summary>The writes' indexes cut into rounds in which no job appears twice, each job's writes in order.</summary>
    private static List<List<int>> Rounds(IReadOnlyList<JobWrite> writes)
    {
        var rounds = new List<List<int>>();
        var roundOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var round = roundOf.TryGetValue(writes[i].Row.JobId, out var previous) ? previous + 1 : 0;
            roundOf[writes[i].Row.JobId] = round;
            if (round == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[round].Add(i);
        }

        return rounds;
    }
}

/// <summary>A job record as stored: its version (the ETag) and its document.</summary>
internal sealed record StoredJob(int Version, string Document);

/// <summary>One write: the row, and the version it replaces (null: the record must not exist yet).</summary>
internal sealed record JobWrite(JobRow Row, int? ExpectedVersion);

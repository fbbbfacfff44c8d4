using Npgsql;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// The jobs of one row of a per-row link, from <c>orchestrator.jobs</c> (the <c>row_key</c> column): what a per-row
/// job asks before it runs, wakes when it is done, and (coalescing) absorbs into. Replay copies carry no row key and
/// are never among them. A job is resolved when it succeeded or was discarded; any other status holds the row.
/// </summary>
public sealed class RowJobs(NpgsqlDataSource dataSource, string serviceId)
{
    private const string Row = "service_id = $1 AND link_id = $2 AND row_key = $3";
    private const string Unresolved = "status NOT IN ('succeeded', 'discarded')";

    private const string BlockerSql = $"""
        SELECT job_id FROM orchestrator.jobs
         WHERE {Row} AND event_id < $4 AND {Unresolved}
         ORDER BY event_id LIMIT 1
        """;

    private const string NextSql = $"""
        SELECT job_id FROM orchestrator.jobs
         WHERE {Row} AND event_id > $4 AND {Unresolved}
         ORDER BY event_id LIMIT 1
        """;

    private const string PreviousSql = $"""
        SELECT job_id FROM orchestrator.jobs
         WHERE {Row} AND event_id < $4
         ORDER BY event_id DESC LIMIT 1
        """;

    private const string AbsorberSql = $"""
        SELECT job_id FROM orchestrator.jobs
         WHERE {Row} AND event_id < $4 AND record -> 'absorbed' @> jsonb_build_array($4::bigint)
         LIMIT 1
        """;

    /// <summary>The earliest unresolved job of the row before <paramref name="eventId"/>, which holds the row; null when the row is free.</summary>
    public Task<string?> FindBlockerAsync(string linkId, string rowKey, long eventId, CancellationToken cancellationToken = default) =>
        FindAsync(BlockerSql, linkId, rowKey, eventId, cancellationToken);

    /// <summary>The earliest unresolved job of the row after <paramref name="eventId"/>: the one to wake when the row is released.</summary>
    public Task<string?> FindNextAsync(string linkId, string rowKey, long eventId, CancellationToken cancellationToken = default) =>
        FindAsync(NextSql, linkId, rowKey, eventId, cancellationToken);

    /// <summary>The job of the row just before <paramref name="eventId"/>, whatever its status; null when there is none.</summary>
    public Task<string?> FindPreviousAsync(string linkId, string rowKey, long eventId, CancellationToken cancellationToken = default) =>
        FindAsync(PreviousSql, linkId, rowKey, eventId, cancellationToken);

    /// <summary>The job of the row that absorbed the event <paramref name="eventId"/> (coalescing); null when none did.</summary>
    public Task<string?> FindAbsorberAsync(string linkId, string rowKey, long eventId, CancellationToken cancellationToken = default) =>
        FindAsync(AbsorberSql, linkId, rowKey, eventId, cancellationToken);

    private async Task<string?> FindAsync(string sql, string linkId, string rowKey, long eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkId);
        ArgumentException.ThrowIfNullOrEmpty(rowKey);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = linkId });
        command.Parameters.Add(new NpgsqlParameter { Value = rowKey });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}

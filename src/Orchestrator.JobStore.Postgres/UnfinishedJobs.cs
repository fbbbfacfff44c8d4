using Npgsql;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Finds the unfinished jobs nobody may be carrying on: those last written by a silo that is not an active member
/// of the cluster (it died or stopped), and those not written for a while (their activation may be gone, or the
/// in-memory gate queue they waited in). Only ids: the rescuer activates each, and the job decides from its record.
/// </summary>
public sealed class UnfinishedJobs(NpgsqlDataSource dataSource, string serviceId)
{
    private const string UnattendedSql = """
        SELECT job_id
          FROM orchestrator.jobs
         WHERE service_id = $1 AND finished_at IS NULL
           AND (silo IS NULL OR NOT (silo = ANY($2)) OR updated_at < $3)
           AND job_id > $4
         ORDER BY job_id
         LIMIT $5
        """;

    private const string CountByProcessSql = """
        SELECT process_id, count(*)
          FROM orchestrator.jobs
         WHERE service_id = $1 AND finished_at IS NULL AND process_id = ANY($2)
         GROUP BY process_id
        """;

    private const string OfLinksSql = """
        SELECT job_id
          FROM orchestrator.jobs
         WHERE service_id = $1 AND finished_at IS NULL AND link_id = ANY($2) AND job_id > $3
         ORDER BY job_id
         LIMIT $4
        """;

    /// <summary>Up to <paramref name="limit"/> ids of unfinished jobs of <paramref name="linkIds"/>, in id order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<string>> OfLinksAsync(IReadOnlyCollection<string> linkIds, string after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkIds);
        ArgumentNullException.ThrowIfNull(after);
        await using var command = dataSource.CreateCommand(OfLinksSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = linkIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadIdsAsync(command, limit, cancellationToken);
    }

    /// <summary>How many unfinished jobs each of <paramref name="processIds"/> has (processes with none are left out).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByProcessAsync(IReadOnlyCollection<string> processIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(processIds);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (processIds.Count == 0)
        {
            return counts;
        }

        await using var command = dataSource.CreateCommand(CountByProcessSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = processIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> ids of unfinished jobs, in id order after <paramref name="after"/> (""
    /// for the first page), whose writer is not in <paramref name="liveSilos"/> (silo addresses as
    /// <c>SiloAddress.ToParsableString</c> writes them) or whose record is older than <paramref name="staleBefore"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindUnattendedAsync(IReadOnlyCollection<string> liveSilos, DateTimeOffset staleBefore, string after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(liveSilos);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = dataSource.CreateCommand(UnattendedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = liveSilos.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = staleBefore.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadIdsAsync(command, limit, cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> ReadIdsAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}

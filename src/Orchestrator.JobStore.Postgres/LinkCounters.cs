using Npgsql;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Durable per-link counters in <c>orchestrator.link_counters</c>: the events a link's filter kept from making a job, and
/// the events that reached a silo for a link no longer in the graph.
/// </summary>
/// <param name="dataSource">The job store's database.</param>
/// <param name="serviceId">The cluster's service id: counters are kept per deployment, as jobs are.</param>
public sealed class LinkCounters(NpgsqlDataSource dataSource, string serviceId)
{
    /// <summary>Adds <paramref name="count"/> filtered events to <paramref name="linkId"/>'s counter.</summary>
    public Task AddFilteredAsync(string linkId, long count, CancellationToken cancellationToken = default) =>
        AddAsync(linkId, count, 0, cancellationToken);

    /// <summary>Adds <paramref name="count"/> events skipped because <paramref name="linkId"/> is no longer in the graph.</summary>
    public Task AddSkippedAsync(string linkId, long count, CancellationToken cancellationToken = default) =>
        AddAsync(linkId, 0, count, cancellationToken);

    /// <summary>The counts of each link that counted anything, by link; only <paramref name="links"/> when it names any.</summary>
    public async Task<IReadOnlyList<LinkEventCount>> CountsAsync(IReadOnlyList<string> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        await using var command = dataSource.CreateCommand("""
            SELECT link_id, filtered, skipped FROM orchestrator.link_counters
             WHERE service_id = $1 AND (cardinality($2::text[]) = 0 OR link_id = ANY($2))
             ORDER BY link_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = links.ToArray() });
        var counts = new List<LinkEventCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new LinkEventCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return counts;
    }

    private async Task AddAsync(string linkId, long filtered, long skipped, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO orchestrator.link_counters (service_id, link_id, filtered, skipped) VALUES ($1, $2, $3, $4)
            ON CONFLICT (service_id, link_id) DO UPDATE
               SET filtered = orchestrator.link_counters.filtered + excluded.filtered,
                   skipped = orchestrator.link_counters.skipped + excluded.skipped
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = linkId });
        command.Parameters.Add(new NpgsqlParameter { Value = filtered });
        command.Parameters.Add(new NpgsqlParameter { Value = skipped });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

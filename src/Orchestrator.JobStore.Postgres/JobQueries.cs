using System.Globalization;
using System.Text;
using Npgsql;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Job queries in SQL over <c>orchestrator.jobs</c>'s columns: filters as parameters (never as SQL text), newest
/// first by (created_at, job_id), pages cut by a keyset cursor, so a page never repeats or skips a job that
/// existed when the first page was read, however many jobs are added meanwhile.
/// </summary>
public sealed class JobQueries(NpgsqlDataSource dataSource, string serviceId)
{
    /// <summary>One page of the jobs <paramref name="query"/> selects.</summary>
    public async Task<JobPage> QueryAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(command, query);
        command.CommandText = $"""
            SELECT job_id, link_id, process_id, status, attempts, event_id, updated_at, created_at, last_exit_code
              FROM orchestrator.jobs
             WHERE {where}
             ORDER BY created_at DESC, job_id DESC
             LIMIT {(query.Limit + 1).ToString(CultureInfo.InvariantCulture)}
            """;
        var jobs = new List<JobSummary>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new JobSummary(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    JobRow.ParseStatus(reader.GetString(3)),
                    reader.GetInt32(4),
                    reader.GetInt64(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetInt64(8)));
            }
        }

        if (jobs.Count <= query.Limit)
        {
            return new JobPage(jobs, null);
        }

        jobs.RemoveAt(jobs.Count - 1);
        return new JobPage(jobs, JobCursor.Encode(jobs[^1].CreatedAt, jobs[^1].JobId));
    }

    /// <summary>How many jobs <paramref name="query"/> selects (its cursor and limit aside).</summary>
    public async Task<long> CountMatchingAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM orchestrator.jobs WHERE {Where(command, query with { Cursor = null })}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The conditions of <paramref name="query"/>, its values added to <paramref name="command"/> as parameters.
    /// Throws <see cref="ArgumentException"/> for an invalid query.
    /// </summary>
    private StringBuilder Where(NpgsqlCommand command, JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Invalid job query: " + string.Join("; ", problems) + ".", nameof(query));
        }

        var where = new StringBuilder("service_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        // Appends a condition whose {0} (and {1}) are the given values, passed as parameters.
        void Filter(string condition, object value, object? other = null)
        {
            var references = new List<object>();
            foreach (var parameter in other is null ? [value] : new[] { value, other })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
                references.Add("$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
            }

            where.Append(" AND ").Append(string.Format(CultureInfo.InvariantCulture, condition, [.. references]));
        }

        if (query.Links.Count > 0)
        {
            Filter("link_id = ANY({0})", query.Links.ToArray());
        }

        if (query.Processes.Count > 0)
        {
            Filter("process_id = ANY({0})", query.Processes.ToArray());
        }

        if (query.Inputs.Count > 0)
        {
            Filter("input_id = ANY({0})", query.Inputs.ToArray());
        }

        if (query.Tables.Count > 0)
        {
            Filter("table_name = ANY({0})", query.Tables.ToArray());
        }

        if (query.Statuses.Count > 0)
        {
            Filter("status = ANY({0})", query.Statuses.Select(JobRow.StatusName).ToArray());
        }

        if (query.ExcludedStatuses.Count > 0)
        {
            Filter("status <> ALL({0})", query.ExcludedStatuses.Select(JobRow.StatusName).ToArray());
        }

        if (query.MinAttempts is { } attempts)
        {
            Filter("attempts >= {0}", attempts);
        }

        if (query.CreatedFrom is { } from)
        {
            Filter("created_at >= {0}", from.ToUniversalTime());
        }

        if (query.CreatedBefore is { } before)
        {
            Filter("created_at < {0}", before.ToUniversalTime());
        }

        if (query.EventId is { } eventId)
        {
            Filter("event_id = {0}", eventId);
        }

        if (query.Cursor is { } cursor)
        {
            var (createdAt, jobId) = JobCursor.Decode(cursor);
            Filter("created_at <= {0} AND (created_at, job_id) < ({0}, {1})", createdAt, jobId);
        }

        return where;
    }

    /// <summary>How many jobs each link has in each status, by link then status.</summary>
    public async Task<IReadOnlyList<JobStatusCount>> CountAsync(IReadOnlyList<string> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        await using var command = dataSource.CreateCommand("""
            SELECT link_id, status, count(*)
              FROM orchestrator.jobs
             WHERE service_id = $1 AND (cardinality($2::text[]) = 0 OR link_id = ANY($2))
             GROUP BY link_id, status
             ORDER BY link_id, status
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = links.ToArray() });
        var counts = new List<JobStatusCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new JobStatusCount(reader.GetString(0), JobRow.ParseStatus(reader.GetString(1)), reader.GetInt64(2)));
        }

        return counts;
    }
}

namespace Orchestrator.Testing;

/// <summary>Job records written and read straight in <c>orchestrator.jobs</c>, bypassing the job store.</summary>
public static class JobTable
{
    /// <summary>
    /// Inserts a minimal record (an empty document) of <paramref name="service"/>; <paramref name="finishedAt"/> must be
    /// set exactly for the terminal statuses, as the table's constraint requires.
    /// </summary>
    public static Task<int> InsertAsync(PostgresDatabase database, string service, string jobId, string status, DateTimeOffset createdAt, DateTimeOffset? finishedAt)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.ExecuteAsync(
            """
            INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                           status, attempts, created_at, updated_at, finished_at, version, record)
            VALUES ($1, $2, 'l', 'p', 'i', 'public', 't', 1, $3, 1, $4, $4, $5, 1, '{}')
            """,
            service,
            jobId,
            status,
            createdAt.ToUniversalTime(),
            finishedAt?.ToUniversalTime());
    }

    /// <summary>The job ids in the table, of every service, in order.</summary>
    public static Task<List<string>> JobIdsAsync(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.DataSource.ListAsync("SELECT job_id FROM orchestrator.jobs ORDER BY job_id");
    }
}

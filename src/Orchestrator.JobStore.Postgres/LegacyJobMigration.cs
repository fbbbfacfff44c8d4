using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Jobs;
using Orleans.Storage;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Moves job records that an earlier version kept in Orleans' ADO.NET grain storage (<c>orleans.orleansstorage</c>,
/// state name <c>job</c>) into <c>orchestrator.jobs</c> when a silo starts. Each record is inserted only if the
/// new table does not hold the job yet, and its old row deleted after; a start interrupted half-way, or two silos
/// starting at once, finish the move on the next run without losing or doubling a job.
/// </summary>
public sealed partial class LegacyJobMigration(IGrainStorageSerializer serializer, ILogger<LegacyJobMigration> logger)
{
    /// <summary>The state name the job grain's records had in the ADO.NET storage.</summary>
    public const string LegacyStateName = "job";

    private const int PageSize = 500;

    private const string ReadSql = """
        SELECT grainidextensionstring, payloadbinary
          FROM orleans.orleansstorage
         WHERE serviceid = $1 AND graintypestring = $2 AND payloadbinary IS NOT NULL
         ORDER BY grainidextensionstring
         LIMIT $3
        """;

    private const string DeleteSql = """
        DELETE FROM orleans.orleansstorage
         WHERE serviceid = $1 AND graintypestring = $2 AND grainidextensionstring = ANY($3)
        """;

    /// <summary>Moves every legacy job record of <paramref name="serviceId"/>; returns how many were moved.</summary>
    public async Task<int> RunAsync(NpgsqlDataSource dataSource, string serviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('orleans.orleansstorage') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        // No silo carries the moved jobs on: the rescuer finds the unfinished ones by that.
        var store = new JobRecordStore(dataSource, serviceId, silo: null);
        var moved = 0;
        while (true)
        {
            var page = await ReadPageAsync(dataSource, serviceId, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            // A conflict means the job is in the new table already (moved before, or written since): keep that one.
            await store.WriteAsync(page.Select(r => new JobWrite(JobRow.Of(r.JobId, r.Job), null)).ToList());
            await using var delete = dataSource.CreateCommand(DeleteSql);
            delete.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            delete.Parameters.Add(new NpgsqlParameter { Value = LegacyStateName });
            delete.Parameters.Add(new NpgsqlParameter { Value = page.Select(r => r.JobId).ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken);
            moved += page.Count;
        }

        if (moved > 0)
        {
            LogMoved(logger, moved);
        }

        return moved;
    }

    private async Task<List<(string JobId, JobState Job)>> ReadPageAsync(NpgsqlDataSource dataSource, string serviceId, CancellationToken cancellationToken)
    {
        await using var read = dataSource.CreateCommand(ReadSql);
        read.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        read.Parameters.Add(new NpgsqlParameter { Value = LegacyStateName });
        read.Parameters.Add(new NpgsqlParameter { Value = PageSize });
        var page = new List<(string, JobState)>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var payload = (byte[])reader.GetValue(1);
            var jobId = reader.GetString(0);
            page.Add((jobId, serializer.Deserialize<JobState>(new BinaryData(payload))
                ?? throw new InvalidOperationException($"The legacy job record '{jobId}' holds no state.")));
        }

        return page;
    }

    [LoggerMessage(1, LogLevel.Warning, "Moved {Count} job records from Orleans' grain storage (orleans.orleansstorage) to orchestrator.jobs")]
    private static partial void LogMoved(ILogger logger, int count);
}

using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Deletes finished job records older than their status's age (<see cref="JobRetentionOptions"/>), of this
/// cluster's service id only. Each status is pruned by its own age alone; a row without <c>finished_at</c> (an
/// unfinished job) is never selected. Rows go in batches, each one short statement in its own transaction, oldest
/// first, until a batch comes back short; rows another transaction holds (a grain writing the job) are skipped, not
/// waited for, and left to the next sweep.
/// </summary>
public sealed partial class JobRetention(
    NpgsqlDataSource dataSource,
    string serviceId,
    JobRetentionOptions options,
    TimeProvider clock,
    ILogger<JobRetention> logger)
{
    // The batch is chosen once (MATERIALIZED): a LIMIT in an IN (…) sub-select may be re-run by a semi-join for every
    // row and so delete every matching row in one statement. The delete re-checks the condition on each row it removes.
    private const string DeleteSql = """
        WITH batch AS MATERIALIZED (
            SELECT job_id
              FROM orchestrator.jobs
             WHERE service_id = $1 AND status = $2 AND finished_at < $3
             ORDER BY finished_at
             LIMIT $4
               FOR UPDATE SKIP LOCKED
        )
        DELETE FROM orchestrator.jobs AS j
         USING batch
         WHERE j.service_id = $1 AND j.job_id = batch.job_id AND j.status = $2 AND j.finished_at < $3
        """;

    /// <summary>Runs one sweep over every status that has an age; returns what it deleted.</summary>
    public async Task<PrunedJobs> PruneAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var statements = 0;
        async Task<long> PruneStatusAsync(JobStatus status, TimeSpan age)
        {
            var (rows, count) = await PruneAsync(status, now - age, cancellationToken);
            statements += count;
            return rows;
        }

        var succeeded = options.SucceededAge > TimeSpan.Zero ? await PruneStatusAsync(JobStatus.Succeeded, options.SucceededAge) : 0;
        var failed = options.FailedAge > TimeSpan.Zero ? await PruneStatusAsync(JobStatus.Failed, options.FailedAge) : 0;
        var discarded = options.DiscardedAge > TimeSpan.Zero ? await PruneStatusAsync(JobStatus.Discarded, options.DiscardedAge) : 0;
        var pruned = new PrunedJobs(succeeded, failed, discarded, statements);
        if (pruned.Total > 0)
        {
            LogPruned(logger, pruned.Total, succeeded, failed, discarded, statements);
        }

        return pruned;
    }

    private async Task<(long Rows, int Statements)> PruneAsync(JobStatus status, DateTimeOffset finishedBefore, CancellationToken cancellationToken)
    {
        long rows = 0;
        var statements = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var command = dataSource.CreateCommand(DeleteSql);
            command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            command.Parameters.Add(new NpgsqlParameter { Value = JobRow.StatusName(status) });
            command.Parameters.Add(new NpgsqlParameter { Value = finishedBefore.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter { Value = options.BatchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            rows += deleted;
            statements++;
            if (deleted < options.BatchSize)
            {
                return (rows, statements);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Retention pruned {Total} finished job records: {Succeeded} succeeded, {Failed} failed, {Discarded} discarded ({Statements} statements)")]
    private static partial void LogPruned(ILogger logger, long total, long succeeded, long failed, long discarded, int statements);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Retention;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Testing;
using Orleans.Configuration;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Retention wired as the host wires it: the retention grain's reminder, registered when the silo starts, prunes a
/// job that really ran once it is past its age, keeps what must stay, goes on after a restart, and after a failed
/// sweep (logged as a warning) tries again at the next tick.
/// </summary>
public sealed class JobRetentionTests
{
    [Fact]
    public async Task The_cluster_prunes_finished_jobs_past_their_age_keeps_unfinished_ones_and_retries_a_failed_sweep()
    {
        var logs = new LogRecorder();
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(JobRetentionTests),
            "CREATE TABLE t (id int PRIMARY KEY)",
            image => $$"""
                {
                  "inputs": [ { "id": "t", "tables": ["t"] } ],
                  "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
                  "links": [ { "id": "t-ok", "input": "t", "process": "ok" } ]
                }
                """,
            (silo, _) => silo.Services.AddSingleton<ILoggerProvider>(logs),
            host: o => o.Retention = new JobRetentionOptions
            {
                SucceededAge = TimeSpan.FromSeconds(2),
                FailedAge = TimeSpan.Zero,
                DiscardedAge = TimeSpan.FromHours(1),
                Interval = TimeSpan.FromSeconds(1),
            });
        var service = pipeline.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        var old = DateTimeOffset.UtcNow.AddYears(-3);
        await InsertAsync(pipeline, service, "old-awaiting", "awaiting", old, null);
        await InsertAsync(pipeline, service, "old-executing", "executing", old, null);
        await InsertAsync(pipeline, service, "old-failed", "failed", old, old);
        await InsertAsync(pipeline, service, "old-discarded", "discarded", old, old);
        await InsertAsync(pipeline, service, "young-discarded", "discarded", old, DateTimeOffset.UtcNow);
        await InsertAsync(pipeline, "another-service", "theirs", "succeeded", old, old);

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await pipeline.JobInStatusAsync("t-ok", JobStatus.Succeeded);

        await Eventually.UntilAsync(async () => (await JobIdsAsync(pipeline)).SequenceEqual(Kept), "the ran job and the old discarded one to be pruned");

        await pipeline.RestartAsync();
        await InsertAsync(pipeline, service, "old-succeeded", "succeeded", old, old);
        await Eventually.UntilAsync(async () => (await JobIdsAsync(pipeline)).SequenceEqual(Kept), "a sweep after the restart");
        Assert.True(logs.Count<JobRetention>(LogLevel.Information) >= 2, "a line per sweep that pruned");

        // Deleting fails for a while: the sweep logs a warning, and the next tick after the fault prunes.
        await pipeline.Database.ExecuteAsync(
            """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
            CREATE TRIGGER refuse_delete BEFORE DELETE ON orchestrator.jobs FOR EACH ROW EXECUTE FUNCTION refuse();
            """);
        await InsertAsync(pipeline, service, "old-succeeded", "succeeded", old, old);
        await Eventually.UntilAsync(() => Task.FromResult(logs.Count<JobRetentionGrain>(LogLevel.Warning) > 0), "a failed sweep's warning");
        Assert.Contains("old-succeeded", await JobIdsAsync(pipeline));
        await pipeline.Database.ExecuteAsync("DROP TRIGGER refuse_delete ON orchestrator.jobs");
        await Eventually.UntilAsync(async () => (await JobIdsAsync(pipeline)).SequenceEqual(Kept), "a sweep after the failure");
    }

    private static readonly string[] Kept = ["old-awaiting", "old-executing", "old-failed", "theirs", "young-discarded"];

    private static Task<int> InsertAsync(PipelineCluster pipeline, string service, string jobId, string status, DateTimeOffset createdAt, DateTimeOffset? finishedAt) =>
        pipeline.Database.ExecuteAsync(
            """
            INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                           status, attempts, created_at, updated_at, finished_at, version, record)
            VALUES ($1, $2, 'gone', 'gone', 't', 'public', 't', 1, $3, 1, $4, $4, $5, 1, '{}')
            """,
            service,
            jobId,
            status,
            createdAt,
            finishedAt);

    private static async Task<List<string>> JobIdsAsync(PipelineCluster pipeline)
    {
        var ids = new List<string>();
        await using var command = pipeline.Database.DataSource.CreateCommand("SELECT job_id FROM orchestrator.jobs ORDER BY job_id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}

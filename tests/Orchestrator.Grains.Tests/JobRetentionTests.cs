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
    private static readonly string[] Kept = ["old-awaiting", "old-executing", "old-failed", "theirs", "young-discarded"];

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
        await JobTable.InsertAsync(pipeline.Database, service, "old-awaiting", "awaiting", old, null);
        await JobTable.InsertAsync(pipeline.Database, service, "old-executing", "executing", old, null);
        await JobTable.InsertAsync(pipeline.Database, service, "old-failed", "failed", old, old);
        await JobTable.InsertAsync(pipeline.Database, service, "old-discarded", "discarded", old, old);
        await JobTable.InsertAsync(pipeline.Database, service, "young-discarded", "discarded", old, DateTimeOffset.UtcNow);
        await JobTable.InsertAsync(pipeline.Database, "another-service", "theirs", "succeeded", old, old);

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await pipeline.JobInStatusAsync("t-ok", JobStatus.Succeeded);

        await Eventually.UntilAsync(async () => (await JobTable.JobIdsAsync(pipeline.Database)).SequenceEqual(Kept), "the ran job and the old discarded one to be pruned");

        await pipeline.RestartAsync();
        await JobTable.InsertAsync(pipeline.Database, service, "old-succeeded", "succeeded", old, old);
        await Eventually.UntilAsync(async () => (await JobTable.JobIdsAsync(pipeline.Database)).SequenceEqual(Kept), "a sweep after the restart");
        Assert.True(logs.Count<JobRetention>(LogLevel.Information) >= 2, "a line per sweep that pruned");

        // Deleting fails for a while: the sweep logs a warning, and the next tick after the fault prunes.
        await pipeline.Database.ExecuteAsync(
            """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
            CREATE TRIGGER refuse_delete BEFORE DELETE ON orchestrator.jobs FOR EACH ROW EXECUTE FUNCTION refuse();
            """);
        await JobTable.InsertAsync(pipeline.Database, service, "old-succeeded", "succeeded", old, old);
        await Eventually.UntilAsync(() => Task.FromResult(logs.Count<JobRetentionGrain>(LogLevel.Warning) > 0), "a failed sweep's warning");
        Assert.Contains("old-succeeded", await JobTable.JobIdsAsync(pipeline.Database));
        await pipeline.Database.ExecuteAsync("DROP TRIGGER refuse_delete ON orchestrator.jobs");
        await Eventually.UntilAsync(async () => (await JobTable.JobIdsAsync(pipeline.Database)).SequenceEqual(Kept), "a sweep after the failure");
    }
}

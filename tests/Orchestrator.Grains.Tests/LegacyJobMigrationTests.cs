using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Persistence.Postgres;
using Orchestrator.Testing;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// A cluster whose job records an earlier version kept in Orleans' ADO.NET grain storage starts on the job table
/// without losing a job: finished records are moved as they are, an unfinished one carries on.
/// </summary>
public sealed class LegacyJobMigrationTests
{
    private const int Finished = 1200;

    [Fact]
    public async Task Records_in_Orleans_grain_storage_move_to_the_job_table_once_and_an_unfinished_job_then_runs()
    {
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(LegacyJobMigrationTests),
            "CREATE TABLE t (id int PRIMARY KEY)",
            image => $$"""
                {
                  "inputs": [ { "id": "t", "tables": ["t"] } ],
                  "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
                  "links": [ { "id": "t-ok", "input": "t", "process": "ok" } ]
                }
                """,
            (silo, connectionString) => silo.AddPostgresGrainStorage("legacy", connectionString));

        // What the earlier version left: records written by Orleans' ADO.NET storage under the state name "job".
        var legacy = pipeline.Services.GetRequiredKeyedService<IGrainStorage>("legacy");
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        await Task.WhenAll(Enumerable.Range(1, Finished).Select(i => WriteLegacyAsync(legacy, Succeeded(1000 + i, at))));
        await WriteLegacyAsync(legacy, Awaiting(7, at));

        // One of them is in the job table already (moved by a start that stopped half-way, then changed): it stays.
        var kept = JobKeys.For("t-ok", 1001);
        await pipeline.Database.ExecuteAsync(
            """
            INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                           status, attempts, created_at, updated_at, finished_at, version, record)
            SELECT $2, $1, 't-ok', 'ok', 't', 'public', 't', 1001, 'succeeded', 5, now(), now(), now(), 3, '{"jobId": "kept"}'
            """,
            kept,
            pipeline.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId);

        await pipeline.RestartAsync();

        Assert.Equal(0L, await LegacyCountAsync(pipeline));
        Assert.Equal(Finished + 1L, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs"));
        Assert.Equal(5, await pipeline.Database.ScalarAsync<int>("SELECT attempts FROM orchestrator.jobs WHERE job_id = $1", kept));
        var moved = await pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("t-ok", 1500)).GetStateAsync();
        Assert.Equal((JobStatus.Succeeded, 1, 1500L), (moved!.Status, moved.Runs.Count, moved.Event!.Id));

        // Activated from its moved record, the waiting job asks for a slot and runs.
        var job = pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("t-ok", 7));
        var done = await Eventually.WaitAsync(job.GetStateAsync, s => s is { Status: JobStatus.Succeeded }, "the moved waiting job to run");
        Assert.Single(done!.Runs);

        await pipeline.RestartAsync();
        Assert.Equal(Finished + 1L, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs"));
    }

    private static Task WriteLegacyAsync(IGrainStorage storage, JobState job) =>
        storage.WriteStateAsync("job", GrainId.Create("jobgrain", job.JobId), new GrainState<JobState> { State = job });

    private static Task<long> LegacyCountAsync(PipelineCluster pipeline) =>
        pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orleans.orleansstorage WHERE graintypestring = 'job'");

    private static JobState Awaiting(long eventId, DateTimeOffset at) => TestJobs.Awaiting("t-ok", "ok", "t", eventId, at);

    private static JobState Succeeded(long eventId, DateTimeOffset at) => TestJobs.Finished("t-ok", "ok", "t", eventId, at, JobStatus.Succeeded, 0);
}

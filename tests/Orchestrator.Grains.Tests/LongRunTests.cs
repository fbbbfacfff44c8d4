using Orchestrator.Abstractions.Jobs;
using Orleans.Configuration;

namespace Orchestrator.Grains.Tests;

/// <summary>A container that outlives a grain call's response timeout is neither cut off nor started twice.</summary>
public sealed class LongRunTests
{
    [Fact]
    public async Task A_run_longer_than_the_response_timeout_completes_once()
    {
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(LongRunTests),
            "CREATE TABLE t (id int PRIMARY KEY)",
            image => $$"""
                {
                  "inputs": [ { "id": "t", "tables": ["t"] } ],
                  "processes": [ { "id": "slow", "image": "{{image}}", "command": ["sleep", "6"] } ],
                  "links": [ { "id": "t-slow", "input": "t", "process": "slow" } ]
                }
                """,
            (silo, _) => silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(2)));

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var job = Assert.Single(await pipeline.FinishedJobsAsync("t-slow", 1, TimeSpan.FromMinutes(2)));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var run = Assert.Single(job.Runs);
        Assert.True(run.FinishedAt!.Value - run.StartedAt >= TimeSpan.FromSeconds(6), $"ran {run.FinishedAt - run.StartedAt}");
        Assert.Equal(1, job.Attempts);
    }
}

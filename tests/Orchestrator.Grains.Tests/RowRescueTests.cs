using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Per-row order survives lost activations and lost wake-ups: the rescuer resumes the row's waiting jobs, and each
/// decides again from the job table.
/// </summary>
public sealed class RowRescueTests
{
    private const string Pipelines = """
        {
          "inputs": [ { "id": "t", "tables": ["t"] } ],
          "processes": [ { "id": "ok", "image": "IMAGE", "command": ["sh", "-c", "sleep 1"] } ],
          "links": [ { "id": "t-rows", "input": "t", "process": "ok", "ordering": "per-row" } ]
        }
        """;

    [Fact]
    public async Task A_rows_jobs_resumed_together_by_the_rescuer_run_one_after_the_other_in_event_order()
    {
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(A_rows_jobs_resumed_together_by_the_rescuer_run_one_after_the_other_in_event_order),
            "CREATE TABLE t (id int PRIMARY KEY)",
            image => Pipelines.Replace("IMAGE", image, StringComparison.Ordinal),
            (silo, _) => silo.Services.Configure<JobOptions>(o => o.RescuePeriod = TimeSpan.FromSeconds(2)));

        // As a crash leaves them: three waiting jobs of one row (their activations, the gate's queue and any wake-up
        // lost), not written for an hour, and a finished one before them.
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        await pipeline.WriteJobAsync(OfRow(TestJobs.Finished("t-rows", "ok", "t", 10, at, JobStatus.Succeeded, 0)));
        foreach (var eventId in new long[] { 13, 11, 12 })
        {
            await pipeline.WriteJobAsync(OfRow(TestJobs.Awaiting("t-rows", "ok", "t", eventId, at)));
        }

        var summaries = await Eventually.WaitAsync(
            () => pipeline.JobsAsync("t-rows"),
            jobs => jobs.Count == 4 && jobs.All(j => j.Status == JobStatus.Succeeded),
            "the rescuer to resume the row's jobs and each to run",
            TimeSpan.FromMinutes(2));

        var jobs = (await Task.WhenAll(summaries.Where(s => s.EventId > 10).Select(s => pipeline.Client.GetGrain<IJobGrain>(s.JobId).GetStateAsync())))
            .Select(j => j!).OrderBy(j => j.Runs[0].StartedAt).ToList();
        Assert.Equal([11L, 12L, 13L], jobs.Select(j => j.Event!.Id));
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.True(jobs[i].Runs[0].StartedAt >= jobs[i - 1].Runs[^1].FinishedAt, $"{jobs[i].JobId} started before {jobs[i - 1].JobId} finished");
        }
    }

    private static JobState OfRow(JobState job)
    {
        job.RowKey = "public.t:row";
        return job;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Microsoft.Extensions.Options;
using Orchestrator.Grains.Jobs;
using Orchestrator.Processes;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Unfinished jobs hold no reminder: the rescuer finds those nobody carries on in the job table and resumes them,
/// without a client touching the job. Each test gets its own cluster, since it restarts the silo or sets the period.
/// </summary>
public sealed class JobRescueTests
{
    private const string Pipelines = """
        {
          "inputs": [ { "id": "t", "tables": ["t"] } ],
          "processes": [
            { "id": "ok", "image": "IMAGE", "command": ["true"] },
            { "id": "no", "image": "IMAGE", "command": ["false"],
              "retry": { "maxAttempts": 2, "initialDelaySeconds": 12, "jitter": 0 } }
          ],
          "links": [ { "id": "t-ok", "input": "t", "process": "ok" }, { "id": "t-no", "input": "t", "process": "no" } ]
        }
        """;

    [Fact]
    public async Task A_retry_waiting_when_its_silo_restarts_runs_at_its_time_though_nothing_asks_for_the_job()
    {
        // An hour between passes: only the pass a starting silo asks for can find the job.
        await using var pipeline = await StartAsync(nameof(A_retry_waiting_when_its_silo_restarts_runs_at_its_time_though_nothing_asks_for_the_job), TimeSpan.FromHours(1));
        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await Eventually.WaitAsync(
            () => pipeline.JobsAsync("t-no", JobStatus.Awaiting),
            jobs => jobs is [{ Attempts: 1 }],
            "the first attempt to fail and the job to wait for its retry");

        await pipeline.RestartAsync();

        var done = await Eventually.WaitAsync(
            () => pipeline.JobsAsync("t-no"),
            jobs => jobs is [{ Status: JobStatus.Discarded }],
            "the restarted silo to run the waiting retry",
            TimeSpan.FromSeconds(60));
        Assert.Equal(2, done[0].Attempts);
    }

    [Fact]
    public async Task A_job_whose_record_has_not_moved_for_a_period_is_resumed()
    {
        await using var pipeline = await StartAsync(nameof(A_job_whose_record_has_not_moved_for_a_period_is_resumed), TimeSpan.FromSeconds(2));

        // Written by this (live) silo an hour ago and never activated since: as if its activation and the gate's
        // queue it waited in were lost.
        await WriteAwaitingAsync(pipeline, 41, DateTimeOffset.UtcNow.AddHours(-1));

        var done = await Eventually.WaitAsync(
            () => pipeline.JobsAsync("t-ok"),
            jobs => jobs is [{ Status: JobStatus.Succeeded }],
            "the rescuer to resume the stale job");
        Assert.Equal(1, done[0].Attempts);
    }

    [Fact]
    public async Task A_reminder_an_earlier_version_registered_is_removed_on_its_first_tick()
    {
        await using var pipeline = await StartAsync(nameof(A_reminder_an_earlier_version_registered_is_removed_on_its_first_tick), TimeSpan.FromHours(1));
        var jobId = await WriteAwaitingAsync(pipeline, 42, DateTimeOffset.UtcNow);
        var grainId = pipeline.Client.GetGrain<IJobGrain>(jobId).GetGrainId();
        var reminders = pipeline.Services.GetRequiredService<IReminderTable>();
        await reminders.UpsertRow(new ReminderEntry
        {
            GrainId = grainId,
            ReminderName = "job",
            StartAt = DateTime.UtcNow.AddSeconds(20),
            Period = TimeSpan.FromMinutes(1),
        });

        // The reminder service reads its table when the silo starts.
        await pipeline.RestartAsync();
        reminders = pipeline.Services.GetRequiredService<IReminderTable>();

        await Eventually.WaitAsync(
            async () => await reminders.ReadRow(grainId, "job"),
            row => row is null,
            "the legacy reminder to be removed",
            TimeSpan.FromSeconds(90));
        await Eventually.WaitAsync(() => pipeline.JobsAsync("t-ok"), jobs => jobs is [{ Status: JobStatus.Succeeded }], "the job to run");
    }

    [Fact]
    public async Task A_container_left_by_a_silo_that_died_after_recording_its_job_is_removed_when_a_silo_starts()
    {
        await using var pipeline = await StartAsync(nameof(A_container_left_by_a_silo_that_died_after_recording_its_job_is_removed_when_a_silo_starts), TimeSpan.FromHours(1));
        var job = TestJobs.Finished("t-ok", "ok", "t", 43, DateTimeOffset.UtcNow.AddMinutes(-5), JobStatus.Succeeded, 0);
        await pipeline.WriteJobAsync(job);

        // The container of its recorded attempt, as a silo killed before removing it leaves it.
        using var engine = new EngineProbe();
        await engine.CreateAsync(TestEnvironment.TestImage, new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Scope] = pipeline.Services.GetRequiredService<IOptions<ContainerEngineOptions>>().Value.Scope,
            [ContainerLabels.JobId] = job.JobId,
            [ContainerLabels.Attempt] = "1",
        });
        Assert.Single(await engine.ContainersOfAsync(job.JobId));

        await pipeline.RestartAsync();

        await Eventually.UntilAsync(async () => (await engine.ContainersOfAsync(job.JobId)).Count == 0, "the left container to be removed");
        Assert.Equal(JobStatus.Succeeded, (await pipeline.Client.GetGrain<IJobGrain>(job.JobId).GetStateAsync())!.Status);
    }

    private static Task<PipelineCluster> StartAsync(string name, TimeSpan rescuePeriod) => PipelineCluster.StartAsync(
        name,
        "CREATE TABLE t (id int PRIMARY KEY)",
        image => Pipelines.Replace("IMAGE", image, StringComparison.Ordinal),
        (silo, _) => silo.Services.Configure<JobOptions>(o => o.RescuePeriod = rescuePeriod));

    /// <summary>Stores an awaiting job of link t-ok through the silo's job store, without activating its grain.</summary>
    private static async Task<string> WriteAwaitingAsync(PipelineCluster pipeline, long eventId, DateTimeOffset at)
    {
        var jobId = JobKeys.For("t-ok", eventId);
        await pipeline.WriteJobAsync(TestJobs.Awaiting("t-ok", "ok", "t", eventId, at));
        return jobId;
    }
}

using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Replays of finished jobs, one or a link's worth: as new jobs marked replay-of the original, or as new attempts
/// of the same job; history is never rewritten, and a job is re-run once per replay however often it is asked.
/// </summary>
public sealed class ReplayTests
{
    private const string Pipelines = """
        {
          "inputs": [ { "id": "t", "tables": ["t"] }, { "id": "u", "tables": ["u"] } ],
          "processes": [
            { "id": "no", "image": "IMAGE", "command": ["false"], "retry": { "maxAttempts": 1, "retryOn": [] } },
            { "id": "slow", "image": "IMAGE", "command": ["true"], "maxConcurrency": 1 }
          ],
          "links": [ { "id": "t-no", "input": "t", "process": "no" }, { "id": "u-slow", "input": "u", "process": "slow" } ]
        }
        """;

    [Fact]
    public async Task A_links_failed_jobs_replayed_as_new_jobs_each_get_one_new_job_marked_replay_of_it()
    {
        await using var pipeline = await StartAsync(nameof(A_links_failed_jobs_replayed_as_new_jobs_each_get_one_new_job_marked_replay_of_it));
        var failed = await FailedJobsAsync(pipeline, 4);

        var replay = pipeline.Client.GetGrain<IReplayGrain>(ReplayIds.New());
        var started = await replay.StartAsync(new ReplayRequest { LinkId = "t-no", RequestedBy = "test" });
        Assert.Equal((4L, ReplayStatus.Running), (started.Selected, started.Status));
        var done = await Eventually.WaitAsync(replay.GetProgressAsync, p => p!.Status == ReplayStatus.Done, "the replay to finish");
        Assert.Equal((4L, 0L), (done!.Replayed, done.Skipped));

        // Starting the same replay again changes nothing.
        var again = await replay.StartAsync(new ReplayRequest { LinkId = "t-no", RequestedBy = "test" });
        Assert.Equal((done.Status, done.Selected, done.Replayed, done.StartedAt), (again.Status, again.Selected, again.Replayed, again.StartedAt));

        var copies = await Eventually.WaitAsync(() => FinishedCopiesAsync(pipeline), rows => rows.Count == 4, "the four new jobs to run");
        Assert.Equal(failed.Select(j => j.JobId).Order(), copies.Select(c => c.ReplayOf).Order());
        Assert.All(copies, c => Assert.Equal(JobKeys.Replay(c.ReplayOf, done.ReplayId), c.JobId));

        var copy = (await pipeline.Client.GetGrain<IJobGrain>(copies[0].JobId).GetStateAsync())!;
        var original = (await pipeline.Client.GetGrain<IJobGrain>(copies[0].ReplayOf).GetStateAsync())!;
        Assert.Equal((copy.ReplayOf, copy.Event), (original.JobId, original.Event));
        Assert.Equal(JobStatus.Failed, original.Status);
        Assert.Equal(failed.Single(j => j.JobId == original.JobId).Transitions, original.Transitions);
        Assert.Equal([done.ReplayId], original.Replays);
        Assert.StartsWith($"replay of job {original.JobId}", copy.Transitions[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_as_new_attempts_appends_an_attempt_to_each_job_and_keeps_its_history()
    {
        await using var pipeline = await StartAsync(nameof(A_replay_as_new_attempts_appends_an_attempt_to_each_job_and_keeps_its_history));
        var failed = await FailedJobsAsync(pipeline, 3);

        var replay = pipeline.Client.GetGrain<IReplayGrain>(ReplayIds.New());
        await replay.StartAsync(new ReplayRequest { LinkId = "t-no", Mode = ReplayMode.NewAttempts, RequestedBy = "test:ann" });
        await Eventually.WaitAsync(replay.GetProgressAsync, p => p is { Status: ReplayStatus.Done, Replayed: 3 }, "the replay to finish");

        var again = await Eventually.WaitAsync(
            () => pipeline.JobsAsync("t-no"),
            jobs => jobs.Count == 3 && jobs.All(j => j is { Status: JobStatus.Failed, Attempts: 2 }),
            "every job's second attempt to fail");
        foreach (var before in failed)
        {
            var after = (await pipeline.Client.GetGrain<IJobGrain>(before.JobId).GetStateAsync())!;
            Assert.Equal(before.Transitions, after.Transitions.Take(before.Transitions.Count));
            Assert.Contains(after.Transitions, t => t is { Status: JobStatus.Awaiting, By: "test:ann" } && t.Reason!.Contains("replay", StringComparison.Ordinal));
            Assert.Equal(2, after.Runs.Count);
        }

        Assert.Equal(3, again.Count);
    }

    [Fact]
    public async Task One_job_replayed_twice_by_the_same_replay_gets_one_new_job_and_unfinished_jobs_are_refused()
    {
        await using var pipeline = await StartAsync(nameof(One_job_replayed_twice_by_the_same_replay_gets_one_new_job_and_unfinished_jobs_are_refused));
        var job = pipeline.Client.GetGrain<IJobGrain>((await FailedJobsAsync(pipeline, 1))[0].JobId);
        var id = ReplayIds.New();

        var first = await job.ReplayAsync(id, ReplayMode.NewJobs, "test");
        var second = await job.ReplayAsync(id, ReplayMode.NewJobs, "test");

        Assert.True(first.Accepted, first.Message);
        Assert.True(second.Accepted, second.Message);
        Assert.Equal(1L, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE replay_of IS NOT NULL"));

        var awaiting = Awaiting(500);
        await pipeline.WriteJobAsync(awaiting);
        var refused = await pipeline.Client.GetGrain<IJobGrain>(awaiting.JobId).ReplayAsync(ReplayIds.New(), ReplayMode.NewJobs, "test");
        Assert.False(refused.Accepted);
        Assert.Contains("cannot replay a job that is", refused.Message, StringComparison.Ordinal);
        var unknown = await pipeline.Client.GetGrain<IJobGrain>("job:t-no:404").ReplayAsync(ReplayIds.New(), ReplayMode.NewJobs, "test");
        Assert.Equal((false, (JobSummary?)null), (unknown.Accepted, unknown.Job));
    }

    [Fact]
    public async Task A_replay_cut_off_by_a_silo_restart_carries_on_and_replays_every_job_once()
    {
        await using var pipeline = await StartAsync(nameof(A_replay_cut_off_by_a_silo_restart_carries_on_and_replays_every_job_once));
        const int Count = 1500;
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        await Task.WhenAll(Enumerable.Range(1, Count).Select(i => pipeline.WriteJobAsync(Failed(1000 + i, at.AddMilliseconds(i)))));

        var replay = pipeline.Client.GetGrain<IReplayGrain>(ReplayIds.New());
        await replay.StartAsync(new ReplayRequest { LinkId = "u-slow", RequestedBy = "test" });
        var cut = await Eventually.WaitAsync(replay.GetProgressAsync, p => p!.Replayed > 0, "the replay's first page", TimeSpan.FromSeconds(60));
        await pipeline.RestartAsync();
        Assert.True(cut!.Replayed < Count, $"the replay was done ({cut.Replayed} jobs) before the restart could cut it off");

        var done = await Eventually.WaitAsync(replay.GetProgressAsync, p => p!.Status == ReplayStatus.Done, "the replay to carry on after the restart", TimeSpan.FromSeconds(120));
        Assert.Equal(((long)Count, (long)Count, 0L), (done!.Selected, done.Replayed, done.Skipped));
        var (copies, originals) = (
            await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE replay_of IS NOT NULL"),
            await pipeline.Database.ScalarAsync<long>("SELECT count(DISTINCT replay_of) FROM orchestrator.jobs"));
        Assert.Equal(((long)Count, (long)Count), (copies, originals));
    }

    private static Task<PipelineCluster> StartAsync(string name) => PipelineCluster.StartAsync(
        name,
        "CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (id int PRIMARY KEY)",
        image => Pipelines.Replace("IMAGE", image, StringComparison.Ordinal));

    /// <summary>Inserts <paramref name="count"/> rows and waits for their jobs on t-no to fail.</summary>
    private static async Task<IReadOnlyList<JobState>> FailedJobsAsync(PipelineCluster pipeline, int count)
    {
        await pipeline.Database.ExecuteAsync($"INSERT INTO t SELECT generate_series(1, {count})");
        return await pipeline.FinishedJobsAsync("t-no", count);
    }

    /// <summary>The finished new jobs replays made, with the job each replays.</summary>
    private static async Task<IReadOnlyList<(string JobId, string ReplayOf)>> FinishedCopiesAsync(PipelineCluster pipeline)
    {
        await using var command = pipeline.Database.DataSource.CreateCommand(
            "SELECT job_id, replay_of FROM orchestrator.jobs WHERE replay_of IS NOT NULL AND finished_at IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static JobState Awaiting(long eventId) => TestJobs.Awaiting("t-no", "no", "t", eventId, DateTimeOffset.UtcNow);

    /// <summary>A failed job of the link u-slow (its process runs one container at a time), created at <paramref name="at"/>.</summary>
    private static JobState Failed(long eventId, DateTimeOffset at) => TestJobs.Finished("u-slow", "slow", "u", eventId, at, JobStatus.Failed, 1);
}

using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Retries, exit-code maps, timeouts, cancellation and manual retries, on one silo with real Postgres and the real
/// engine. Each test has its own table and link.
/// </summary>
public sealed class FailureHandlingTests(FailureHandlingTests.Fixture fixture) : IClassFixture<FailureHandlingTests.Fixture>
{
    private const string Setup = """
        CREATE TABLE flaky (id int PRIMARY KEY);
        CREATE TABLE doomed (id int PRIMARY KEY);
        CREATE TABLE refused (id int PRIMARY KEY);
        CREATE TABLE slow (id int PRIMARY KEY);
        CREATE TABLE cancelled (id int PRIMARY KEY);
        CREATE TABLE queued (id int PRIMARY KEY);
        CREATE TABLE redriven (id int PRIMARY KEY);
        CREATE TABLE hasty (id int PRIMARY KEY);
        """;

    /// <summary>Runs until SIGTERM, then exits 143 at once.</summary>
    private const string UntilTerm = """["sh", "-c", "trap 'echo got TERM; exit 143' TERM; echo started; while true; do sleep 0.2; done"]""";

    private PipelineCluster Pipeline => fixture.Pipeline;

    [Fact]
    public async Task A_code_mapped_to_retry_is_retried_after_the_backoff_until_it_succeeds()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO flaky VALUES (1)");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("flaky", 1));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal([75L, 75L, 0L], job.Runs.Select(r => r.ExitCode!.Value));
        Assert.Equal(
            [JobStatus.Acknowledged, JobStatus.Awaiting, JobStatus.Executing, JobStatus.Awaiting, JobStatus.Executing,
             JobStatus.Awaiting, JobStatus.Executing, JobStatus.Succeeded],
            job.Transitions.Select(t => t.Status));
        Assert.StartsWith("attempt 1 of 5: exit code 75, mapped to retry; retrying in 1 s", job.Transitions[3].Reason, StringComparison.Ordinal);
        for (var i = 1; i < job.Runs.Count; i++)
        {
            var waited = job.Runs[i].StartedAt - job.Runs[i - 1].FinishedAt!.Value;
            Assert.True(waited >= TimeSpan.FromSeconds(0.9), $"attempt {i + 1} started {waited} after attempt {i} ended");
        }
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_discarded_after_its_last_attempt_and_stays_queryable()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO doomed VALUES (1)");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("doomed", 1));

        Assert.Equal(JobStatus.Discarded, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.All(job.Runs, r => Assert.Equal((1L, RunOutcome.Exited), (r.ExitCode!.Value, r.Outcome!.Value)));
        Assert.Equal("attempt 2 of 2: exit code 1; no attempts left", job.Transitions[^1].Reason);
        var listed = await Pipeline.JobsAsync("doomed", JobStatus.Discarded);
        Assert.Equal(job.JobId, Assert.Single(listed).JobId);
    }

    [Fact]
    public async Task A_code_mapped_to_discard_is_not_retried()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO refused VALUES (1)");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("refused", 1));

        Assert.Equal(JobStatus.Discarded, job.Status);
        Assert.Equal(2, Assert.Single(job.Runs).ExitCode);
        Assert.Equal("exit code 2, mapped to discard", job.Transitions[^1].Reason);
    }

    [Fact]
    public async Task An_attempt_past_its_timeout_is_stopped_and_recorded_as_timed_out_with_its_duration()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO slow VALUES (1)");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("slow", 1));

        Assert.Equal(JobStatus.Discarded, job.Status);
        var run = Assert.Single(job.Runs);
        Assert.Equal(RunOutcome.TimedOut, run.Outcome);
        Assert.InRange(run.Duration!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        Assert.Equal(137, run.ExitCode);
        await Eventually.UntilAsync(async () => (await ContainersOfAsync(job.JobId)).Count == 0, "the timed-out container to be removed once its result is written");
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_its_container_and_says_who_cancelled()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO cancelled VALUES (1)");
        var running = await Pipeline.JobInStatusAsync("cancelled", JobStatus.Executing);
        using (var engine = new EngineProbe())
        {
            await engine.PrintedAsync(running.JobId, "started");
        }

        var result = await Pipeline.Client.GetGrain<IJobGrain>(running.JobId).CancelAsync("test:ann");

        Assert.True(result.Accepted, result.Message);
        var job = (await Pipeline.Client.GetGrain<IJobGrain>(running.JobId).GetStateAsync())!;
        Assert.Equal(JobStatus.Discarded, job.Status);
        var last = job.Transitions[^1];
        Assert.Equal("test:ann", last.By);
        Assert.StartsWith("cancelled by test:ann during attempt 1", last.Reason, StringComparison.Ordinal);
        var run = Assert.Single(job.Runs);
        Assert.Equal((RunOutcome.Cancelled, 143L), (run.Outcome!.Value, run.ExitCode!.Value));
        Assert.Contains("got TERM", run.StdoutTail, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await ContainersOfAsync(job.JobId)).Count == 0, "the cancelled container to be removed once its result is written");
        Assert.False((await Pipeline.Client.GetGrain<IJobGrain>(job.JobId).CancelAsync("test:ann")).Accepted);
    }

    [Fact]
    public async Task Cancelling_a_waiting_job_discards_it_without_running_it_and_frees_its_place()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO queued VALUES (1)");
        var first = await Pipeline.JobInStatusAsync("queued", JobStatus.Executing);
        await Pipeline.Database.ExecuteAsync("INSERT INTO queued VALUES (2)");
        var waiting = await Eventually.WaitAsync(
            async () => (await Pipeline.JobsAsync("queued", JobStatus.Awaiting)).SingleOrDefault(),
            job => job is not null,
            "the second job to wait for the only slot");

        var result = await Pipeline.Client.GetGrain<IJobGrain>(waiting!.JobId).CancelAsync("test:bob");

        Assert.True(result.Accepted, result.Message);
        var job = (await Pipeline.Client.GetGrain<IJobGrain>(waiting.JobId).GetStateAsync())!;
        Assert.Equal((JobStatus.Discarded, 0), (job.Status, job.Runs.Count));
        Assert.Equal("test:bob", job.Transitions[^1].By);
        var gate = await Pipeline.Client.GetGrain<IProcessGateGrain>("until-term-1").GetSnapshotAsync();
        Assert.Equal((1, 0), (gate.Running, gate.Waiting));
        Assert.True((await Pipeline.Client.GetGrain<IJobGrain>(first.JobId).CancelAsync("test:bob")).Accepted);
    }

    [Fact]
    public async Task A_manual_retry_of_a_discarded_job_runs_a_new_attempt_and_keeps_the_history()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO redriven VALUES (1)");
        var discarded = Assert.Single(await Pipeline.FinishedJobsAsync("redriven", 1));
        Assert.Equal(JobStatus.Discarded, discarded.Status);
        var grain = Pipeline.Client.GetGrain<IJobGrain>(discarded.JobId);

        var result = await grain.RetryAsync("test:cy");

        Assert.True(result.Accepted, result.Message);
        var job = await Eventually.WaitAsync(async () => (await grain.GetStateAsync())!, j => j.Status == JobStatus.Succeeded, "the retried job to succeed");
        Assert.Equal(discarded.Transitions, job.Transitions.Take(discarded.Transitions.Count));
        Assert.Equal([2L, 0L], job.Runs.Select(r => r.ExitCode!.Value));
        Assert.Contains(job.Transitions, t => t is { Status: JobStatus.Awaiting, By: "test:cy" });
        Assert.False((await grain.RetryAsync("test:cy")).Accepted);
    }

    [Fact]
    public async Task A_manual_retry_sent_the_moment_the_job_is_discarded_runs_its_attempt_without_waiting_for_the_rescuer()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO hasty VALUES (1)");
        var listed = await Eventually.WaitAsync(
            () => Pipeline.JobsAsync("hasty"), jobs => jobs.Count == 1, "the job to be recorded");
        var grain = Pipeline.Client.GetGrain<IJobGrain>(listed[0].JobId);

        // Ask without pausing: the record reads discarded while the job still writes it, removes its container and
        // releases its slot, and the retry must arrive in that window to prove it is not lost there.
        var deadline = DateTimeOffset.UtcNow + Eventually.DefaultTimeout;
        while ((await grain.GetSummaryAsync())?.Status != JobStatus.Discarded)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the first attempt was not discarded in time");
        }

        var result = await grain.RetryAsync("test:dee");

        Assert.True(result.Accepted, result.Message);
        var job = await Eventually.WaitAsync(
            async () => (await grain.GetStateAsync())!,
            j => j.Status == JobStatus.Succeeded,
            "the retried job to succeed well before the next rescue pass (one minute)",
            TimeSpan.FromSeconds(30));
        Assert.Equal([2L, 0L], job.Runs.Select(r => r.ExitCode!.Value));
    }

    [Fact]
    public async Task Commands_on_an_unknown_job_are_refused_without_making_one()
    {
        var grain = Pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("flaky", 999_999));

        var cancel = await grain.CancelAsync("test");
        var retry = await grain.RetryAsync("test");

        Assert.Equal((false, false), (cancel.Accepted, retry.Accepted));
        Assert.Null(cancel.Job);
        Assert.Null(await grain.GetStateAsync());
    }

    private static async Task<IList<Docker.DotNet.Models.ContainerListResponse>> ContainersOfAsync(string jobId)
    {
        using var engine = new EngineProbe();
        return await engine.ContainersOfAsync(jobId);
    }

    private static string Pipelines(string image) => $$"""
        {
          "inputs": [
            { "id": "flaky", "tables": ["flaky"] }, { "id": "doomed", "tables": ["doomed"] },
            { "id": "refused", "tables": ["refused"] }, { "id": "slow", "tables": ["slow"] },
            { "id": "cancelled", "tables": ["cancelled"] }, { "id": "queued", "tables": ["queued"] },
            { "id": "redriven", "tables": ["redriven"] }, { "id": "hasty", "tables": ["hasty"] }
          ],
          "processes": [
            {
              "id": "third-time-lucky", "image": "{{image}}",
              "command": ["sh", "-c", "[ \"$ORCHESTRATOR_ATTEMPT\" -ge 3 ] || exit 75"],
              "exitCodes": { "75": "retry" },
              "retry": { "maxAttempts": 5, "initialDelaySeconds": 1, "maxDelaySeconds": 1, "jitter": 0, "retryOn": [] }
            },
            {
              "id": "always-1", "image": "{{image}}", "command": ["sh", "-c", "exit 1"],
              "retry": { "maxAttempts": 2, "initialDelaySeconds": 0.5, "jitter": 0 }
            },
            {
              "id": "second-time-lucky", "image": "{{image}}", "command": ["sh", "-c", "[ \"$ORCHESTRATOR_ATTEMPT\" -ge 2 ] || exit 2"],
              "exitCodes": { "2": "discard" }
            },
            { "id": "sleeper", "image": "{{image}}", "command": ["sleep", "300"], "timeoutSeconds": 2, "stopGraceSeconds": 1 },
            { "id": "until-term", "image": "{{image}}", "command": {{UntilTerm}} },
            { "id": "until-term-1", "image": "{{image}}", "command": {{UntilTerm}}, "maxConcurrency": 1 }
          ],
          "links": [
            { "id": "flaky", "input": "flaky", "process": "third-time-lucky" },
            { "id": "doomed", "input": "doomed", "process": "always-1" },
            { "id": "refused", "input": "refused", "process": "second-time-lucky", "retry": { "maxAttempts": 5 } },
            { "id": "slow", "input": "slow", "process": "sleeper", "retry": { "maxAttempts": 1 } },
            { "id": "cancelled", "input": "cancelled", "process": "until-term" },
            { "id": "queued", "input": "queued", "process": "until-term-1" },
            { "id": "redriven", "input": "redriven", "process": "second-time-lucky" },
            { "id": "hasty", "input": "hasty", "process": "second-time-lucky" }
          ]
        }
        """;

    /// <summary>The cluster of this class's tests.</summary>
    public sealed class Fixture() : PipelineFixture(nameof(FailureHandlingTests), Setup, Pipelines);
}

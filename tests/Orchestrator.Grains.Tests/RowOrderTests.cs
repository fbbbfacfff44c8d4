using System.Text.Json;
using Npgsql;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// Per-row links on one silo with real Postgres and the real engine: a row's jobs run one at a time in the order
/// its changes committed, rows in parallel; a failed job holds its row until it is discarded; a coalescing link
/// runs a burst of changes as one job. Each test has its own table and link.
/// </summary>
public sealed class RowOrderTests(RowOrderTests.Fixture fixture) : IClassFixture<RowOrderTests.Fixture>
{
    private const string Setup = """
        CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL);
        CREATE TABLE gated (id int PRIMARY KEY, fail boolean NOT NULL);
        CREATE TABLE bursts (id int PRIMARY KEY, v int NOT NULL);
        """;

    private const int Rows = 8;
    private const int UpdatesPerRow = 50;

    private PipelineCluster Pipeline => fixture.Pipeline;

    [Fact]
    public async Task Each_rows_jobs_run_one_at_a_time_in_commit_order_while_rows_overlap()
    {
        await Pipeline.Database.ExecuteAsync($"INSERT INTO counters SELECT g, 0 FROM generate_series(1, {Rows}) g");
        var updates = Enumerable.Range(1, Rows).SelectMany(r => Enumerable.Repeat(r, UpdatesPerRow)).OrderBy(_ => Random.Shared.Next()).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var connection = await Pipeline.Database.DataSource.OpenConnectionAsync();
            for (var i = Interlocked.Increment(ref next); i < updates.Count; i = Interlocked.Increment(ref next))
            {
                // Writers of one row overlap: each holds its row lock a little while, so the next waits for its commit.
                await using var transaction = await connection.BeginTransactionAsync();
                await using var command = new NpgsqlCommand("UPDATE counters SET n = n + 1 WHERE id = $1", connection, transaction);
                command.Parameters.AddWithValue(updates[i]);
                await command.ExecuteNonQueryAsync();
                await using var pause = new NpgsqlCommand("SELECT pg_sleep(random() * 0.01)", connection, transaction);
                await pause.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }));

        var jobs = await Pipeline.FinishedJobsAsync("counters", Rows * (UpdatesPerRow + 1), TimeSpan.FromMinutes(10));

        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        foreach (var row in jobs.GroupBy(j => Field(j.Event!.NewRow!, "id")))
        {
            var ran = row.OrderBy(j => j.Runs[0].StartedAt).ToList();
            // n counts the row's commits: the jobs ran in commit order (and in event id order), every change once.
            Assert.Equal(Enumerable.Range(0, UpdatesPerRow + 1), ran.Select(j => Field(j.Event!.NewRow!, "n")));
            Assert.Equal(ran.Select(j => j.Event!.Id).Order(), ran.Select(j => j.Event!.Id));
            for (var i = 1; i < ran.Count; i++)
            {
                Assert.True(ran[i].Runs[0].StartedAt >= ran[i - 1].Runs[^1].FinishedAt, $"row {row.Key}: job {ran[i].JobId} started before {ran[i - 1].JobId} finished");
            }
        }

        Assert.True(
            jobs.Any(a => jobs.Any(b => Field(a.Event!.NewRow!, "id") != Field(b.Event!.NewRow!, "id")
                && a.Runs[0].StartedAt < b.Runs[0].FinishedAt && b.Runs[0].StartedAt < a.Runs[0].FinishedAt)),
            "no two rows' jobs ran at the same time");
    }

    [Fact]
    public async Task A_failed_job_holds_its_rows_later_jobs_until_it_is_discarded()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO gated VALUES (1, true)");
        var failed = await Pipeline.JobInStatusAsync("gated", JobStatus.Failed);
        await Pipeline.Database.ExecuteAsync("UPDATE gated SET fail = false WHERE id = 1");
        await Pipeline.Database.ExecuteAsync("INSERT INTO gated VALUES (2, false)");

        // Row 2 is free, so its job runs; the job of row 1's update, committed before row 2's insert, waits.
        var other = await Eventually.WaitAsync(
            async () => (await Pipeline.JobsAsync("gated")).Where(j => j.JobId != failed.JobId).ToList(),
            js => js.Count == 2 && js.Any(j => j.Status == JobStatus.Succeeded),
            "the update's job, and row 2's job to succeed");
        var held = other.Single(j => j.Status != JobStatus.Succeeded);
        Assert.Equal((JobStatus.Awaiting, 0), (held.Status, held.Attempts));
        Assert.True(held.EventId < other.Single(j => j.Status == JobStatus.Succeeded).EventId, "the held job's event is the earlier one");

        var cancelled = await Pipeline.Client.GetGrain<IJobGrain>(failed.JobId).CancelAsync("test:ops");

        Assert.True(cancelled.Accepted, cancelled.Message);
        Assert.Equal(JobStatus.Discarded, cancelled.Job!.Status);
        var released = await Eventually.WaitAsync(
            () => Pipeline.Client.GetGrain<IJobGrain>(held.JobId).GetStateAsync(),
            j => j!.Status == JobStatus.Succeeded,
            "the held job to run once the failed one was discarded",
            TimeSpan.FromSeconds(30));
        Assert.True(released!.Runs[0].StartedAt >= cancelled.Job.UpdatedAt, "the held job started only after the failed one was discarded");
    }

    [Fact]
    public async Task A_burst_of_changes_while_the_rows_job_waits_runs_once_with_the_latest_row_and_redelivery_makes_nothing()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO bursts VALUES (1, 0)");
        var first = await Pipeline.JobInStatusAsync("bursts", JobStatus.Executing);
        for (var v = 1; v <= 5; v++)
        {
            await Pipeline.Database.ExecuteAsync("UPDATE bursts SET v = $1 WHERE id = 1", v);
        }

        var jobs = await Pipeline.FinishedJobsAsync("bursts", 2, TimeSpan.FromMinutes(2));
        Assert.Equal(0L, await Pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log WHERE table_name = 'bursts'"));

        Assert.Equal(2, (await Pipeline.JobsAsync("bursts")).Count);
        var (done, burst) = (jobs[0], jobs[1]);
        Assert.Equal(first.JobId, done.JobId);
        Assert.Empty(done.Absorbed);
        Assert.Equal(1, Field(burst.Event!.NewRow!, "v"));
        Assert.Equal(5, Field(burst.LatestEvent!.NewRow!, "v"));
        Assert.Equal(4, burst.Absorbed.Count);
        Assert.Equal(burst.LatestEvent.Id, burst.Absorbed[^1]);
        Assert.True(burst.Absorbed.All(id => id > burst.Event.Id));
        var run = Assert.Single(burst.Runs);
        Assert.Contains("\"v\":5", run.StdoutTail.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        foreach (var absorbed in new[] { burst.Absorbed[0], burst.Absorbed[^1] })
        {
            var redelivered = await Pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("bursts", absorbed))
                .AcknowledgeAsync(new JobRequest("bursts", "slow-echo", burst.LatestEvent with { Id = absorbed }));
            Assert.Equal(burst.JobId, redelivered.JobId);
            Assert.Null(await Pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("bursts", absorbed)).GetStateAsync());
        }

        Assert.Equal(2, (await Pipeline.JobsAsync("bursts")).Count);
    }

    private static int Field(string row, string name)
    {
        using var document = JsonDocument.Parse(row);
        return document.RootElement.GetProperty(name).GetInt32();
    }

    private static string Pipelines(string image) => $$"""
        {
          "inputs": [
            { "id": "counters", "tables": ["counters"] }, { "id": "gated", "tables": ["gated"] },
            { "id": "bursts", "tables": ["bursts"] }
          ],
          "processes": [
            { "id": "quick", "image": "{{image}}", "command": ["true"], "maxConcurrency": 8 },
            {
              "id": "fail-when-asked", "image": "{{image}}",
              "command": ["sh", "-c", "if grep -q '\"new\":{[^}]*\"fail\": true' \"$ORCHESTRATOR_EVENT_FILE\"; then exit 3; fi"],
              "retry": { "maxAttempts": 1, "retryOn": [] }
            },
            { "id": "slow-echo", "image": "{{image}}", "command": ["sh", "-c", "sleep 4; cat \"$ORCHESTRATOR_EVENT_FILE\""] }
          ],
          "links": [
            { "id": "counters", "input": "counters", "process": "quick", "ordering": "per-row" },
            { "id": "gated", "input": "gated", "process": "fail-when-asked", "ordering": "per-row" },
            { "id": "bursts", "input": "bursts", "process": "slow-echo", "ordering": "per-row", "coalesce": true }
          ]
        }
        """;

    /// <summary>The cluster of this class's tests.</summary>
    public sealed class Fixture() : PipelineFixture(nameof(RowOrderTests), Setup, Pipelines);
}

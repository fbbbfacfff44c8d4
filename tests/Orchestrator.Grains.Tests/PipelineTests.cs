using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;
using Orchestrator.Processes;

namespace Orchestrator.Grains.Tests;

/// <summary>The whole path in one silo: committed rows in Postgres become jobs that run containers on the real engine.</summary>
public sealed class PipelineTests(PipelineTests.Fixture fixture) : IClassFixture<PipelineTests.Fixture>
{
    private const string Setup = """
        CREATE TABLE items (id serial PRIMARY KEY, note text);
        CREATE TABLE hello (id serial PRIMARY KEY, note text);
        CREATE TABLE failing (id serial PRIMARY KEY);
        CREATE TABLE big (id serial PRIMARY KEY, payload text);
        CREATE TABLE "Odd ""name""; drop" (id serial PRIMARY KEY, "we""ird" text);
        CREATE TABLE slow (id serial PRIMARY KEY);
        CREATE TABLE twice (id serial PRIMARY KEY);
        CREATE TABLE every_type (
            id int PRIMARY KEY, n numeric(30,6), r real, d double precision, b bytea, ints int[], texts text[],
            j json, jb jsonb, ts timestamptz, day date, u uuid, nothing text, note text, flag boolean, big bigint,
            span interval, matrix int[][]);
        """;

    private PipelineCluster Pipeline => fixture.Pipeline;

    [Fact]
    public async Task Insert_update_and_delete_each_make_a_job_with_the_change()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO items (note) VALUES ('first')");
        await Pipeline.Database.ExecuteAsync("UPDATE items SET note = 'second' WHERE note = 'first'");
        await Pipeline.Database.ExecuteAsync("DELETE FROM items WHERE note = 'second'");

        var jobs = await Pipeline.FinishedJobsAsync("items-ok", 3);

        Assert.Equal([ChangeOperation.Insert, ChangeOperation.Update, ChangeOperation.Delete], jobs.Select(j => j.Event!.Operation));
        Assert.All(jobs, j => Assert.Equal(("public", "items", "items"), (j.Event!.Schema, j.Event.Table, j.Event.InputId)));
        Assert.Null(jobs[0].Event!.OldRow);
        Assert.Equal("first", Note(jobs[0].Event!.NewRow));
        Assert.Equal(("first", "second"), (Note(jobs[1].Event!.OldRow), Note(jobs[1].Event!.NewRow)));
        Assert.Equal("second", Note(jobs[2].Event!.OldRow));
        Assert.Null(jobs[2].Event!.NewRow);
        Assert.All(jobs, j => Assert.Equal(JobKeys.For("items-ok", j.Event!.Id), j.JobId));
    }

    [Fact]
    public async Task Exit_code_zero_succeeds_and_exit_code_three_fails_with_logs_kept()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO hello (note) VALUES ('hello')");
        await Pipeline.Database.ExecuteAsync("INSERT INTO failing DEFAULT VALUES");

        var ok = Assert.Single(await Pipeline.FinishedJobsAsync("hello-ok", 1));
        var failed = Assert.Single(await Pipeline.FinishedJobsAsync("failing-exit3", 1));

        Assert.Equal(JobStatus.Succeeded, ok.Status);
        Assert.Equal(0, Assert.Single(ok.Runs).ExitCode);
        Assert.Contains($"job {ok.JobId} attempt 1", ok.Runs[0].StdoutTail, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Failed, failed.Status);
        var run = Assert.Single(failed.Runs);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("about to fail\n", run.StderrTail);
        Assert.NotNull(run.ContainerId);
        Assert.True(run.FinishedAt >= run.StartedAt);
        Assert.Equal(
            [JobStatus.Acknowledged, JobStatus.Awaiting, JobStatus.Executing, JobStatus.Failed],
            failed.Transitions.Select(t => t.Status));
        Assert.Equal("exit code 3; the retry policy does not retry on exit-code", failed.Transitions[^1].Reason);
    }

    [Fact]
    public async Task A_row_of_one_mebibyte_reaches_the_container_intact()
    {
        var payload = Convert.ToHexString(RandomNumberGenerator.GetBytes(512 * 1024));
        await Pipeline.Database.ExecuteAsync("INSERT INTO big (payload) VALUES ($1)", payload);

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("big-sha", 1));

        using (var row = JsonDocument.Parse(job.Event!.NewRow!))
        {
            Assert.Equal(payload, row.RootElement.GetProperty("payload").GetString());
        }

        var sent = Convert.ToHexStringLower(SHA256.HashData(EventDocument.Write(job.Event, job.JobId, job.LinkId, 1)));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.StartsWith(sent, job.Runs[0].StdoutTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_every_common_column_type_reaches_the_container_as_faithful_json()
    {
        await Pipeline.Database.ExecuteAsync("""
            INSERT INTO every_type VALUES (
                1, 123456789012345678.123456, 1.5, 2.25e-10, '\x00ff10'::bytea, '{1,2,NULL}', '{"a,b","c\"d",NULL}',
                '{"k": [1, "x"], "k": 2}', '{"nested": {"deep": true, "n": 1e400}}', '2026-01-02 03:04:05.678+02',
                '2026-02-03', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL, E'line1\nline2 "quoted" \\ back\ttab é',
                true, 9223372036854775807, '1 day 2 hours', '{{1,2},{3,4}}')
            """);
        var expected = await Pipeline.Database.ScalarAsync<string>("SELECT to_jsonb(t)::text FROM every_type t WHERE id = 1");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("types-cat", 1));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var received = JsonNode.Parse(job.Runs[0].StdoutTail)!["new"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), received), $"expected {expected}\nreceived {received?.ToJsonString()}");
        Assert.Equal("123456789012345678.123456", received!["n"]!.ToJsonString());
        Assert.Equal("line1\nline2 \"quoted\" \\ back\ttab é", received["note"]!.GetValue<string>());
        Assert.Null(received["nothing"]);
        Assert.True(((JsonObject)received).ContainsKey("nothing"));
    }

    [Fact]
    public async Task A_table_whose_name_needs_quoting_is_captured_and_nothing_is_injected()
    {
        await Pipeline.Database.ExecuteAsync("""INSERT INTO "Odd ""name""; drop" ("we""ird") VALUES ('x"; drop table items; --')""");

        var job = Assert.Single(await Pipeline.FinishedJobsAsync("odd-ok", 1));

        Assert.Equal("Odd \"name\"; drop", job.Event!.Table);
        using var row = JsonDocument.Parse(job.Event.NewRow!);
        Assert.Equal("x\"; drop table items; --", row.RootElement.GetProperty("we\"ird").GetString());
        Assert.Equal(1L, await Pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'items'"));
    }

    [Fact]
    public async Task No_more_containers_run_at_once_than_the_process_allows()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO slow SELECT FROM generate_series(1, 8)");

        var jobs = await Pipeline.FinishedJobsAsync("slow-capped", 8, TimeSpan.FromMinutes(2));

        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        var edges = jobs.SelectMany(j => new[] { (At: j.Runs[0].StartedAt, Delta: 1), (At: j.Runs[0].FinishedAt!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        var running = 0;
        var most = 0;
        foreach (var edge in edges)
        {
            running += edge.Delta;
            most = Math.Max(most, running);
        }

        Assert.Equal(2, most);
        // A job releases its slot after writing its end and removing its container: the last ones may still hold it.
        var gate = await Eventually.WaitAsync(
            () => Pipeline.Client.GetGrain<IProcessGateGrain>("slow").GetSnapshotAsync(),
            g => g.Running == 0,
            "the finished jobs to release their slots");
        Assert.Equal((2, 0, 0), (gate.MaxRunningSeen, gate.Running, gate.Waiting));
    }

    [Fact]
    public async Task The_same_event_acknowledged_twice_makes_one_job_and_one_container()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO twice DEFAULT VALUES");
        var job = Assert.Single(await Pipeline.FinishedJobsAsync("twice-kept", 1));
        var grain = Pipeline.Client.GetGrain<IJobGrain>(job.JobId);

        var again = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.AcknowledgeAsync(new JobRequest(job.LinkId, job.ProcessId, job.Event!))));

        Assert.All(again, s => Assert.Equal((job.JobId, 1), (s.JobId, s.Attempts)));
        var after = (await grain.GetStateAsync())!;
        Assert.Single(after.Runs);
        Assert.Equal(job.Transitions.Count, after.Transitions.Count);
        Assert.Equal([job.Runs[0].ContainerId!], await ContainersLabelledAsync(job.JobId));
    }

    private static string? Note(string? row)
    {
        if (row is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(row);
        return json.RootElement.GetProperty("note").GetString();
    }

    private static async Task<IReadOnlyList<string>> ContainersLabelledAsync(string jobId)
    {
        var start = new ProcessStartInfo("docker", ["ps", "-a", "--no-trunc", "-q", "--filter", $"label={ContainerLabels.JobId}={jobId}"])
        {
            RedirectStandardOutput = true,
        };
        using var docker = Process.Start(start)!;
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids)
        {
            using var rm = Process.Start("docker", ["rm", "-f", id]);
            await rm.WaitForExitAsync();
        }

        return ids;
    }

    private static string Pipelines(string image) => $$"""
        {
          "inputs": [
            { "id": "items", "tables": ["items"] },
            { "id": "hello", "tables": ["hello"] },
            { "id": "failing", "tables": ["failing"] },
            { "id": "big", "tables": ["big"] },
            { "id": "odd", "tables": ["Odd \"name\"; drop"] },
            { "id": "slow", "tables": ["slow"] },
            { "id": "twice", "tables": ["twice"] },
            { "id": "types", "tables": ["every_type"] }
          ],
          "processes": [
            { "id": "ok", "image": "{{image}}", "command": ["sh", "-c", "echo \"job $ORCHESTRATOR_JOB_ID attempt $ORCHESTRATOR_ATTEMPT\""] },
            { "id": "exit3", "image": "{{image}}", "command": ["sh", "-c", "echo about to fail >&2; exit 3"], "retry": { "retryOn": ["infrastructure"] } },
            { "id": "sha", "image": "{{image}}", "command": ["sha256sum", "/orchestrator/event.json"] },
            { "id": "slow", "image": "{{image}}", "command": ["sleep", "1"], "maxConcurrency": 2 },
            { "id": "kept", "image": "{{image}}", "command": ["true"], "removeContainers": false },
            { "id": "cat", "image": "{{image}}", "command": ["cat", "/orchestrator/event.json"] }
          ],
          "links": [
            { "id": "items-ok", "input": "items", "process": "ok" },
            { "id": "hello-ok", "input": "hello", "process": "ok" },
            { "id": "failing-exit3", "input": "failing", "process": "exit3" },
            { "id": "big-sha", "input": "big", "process": "sha" },
            { "id": "odd-ok", "input": "odd", "process": "ok" },
            { "id": "slow-capped", "input": "slow", "process": "slow" },
            { "id": "twice-kept", "input": "twice", "process": "kept" },
            { "id": "types-cat", "input": "types", "process": "cat" }
          ]
        }
        """;

    /// <summary>The cluster of this class's tests.</summary>
    public sealed class Fixture() : PipelineFixture(nameof(PipelineTests), Setup, Pipelines);
}

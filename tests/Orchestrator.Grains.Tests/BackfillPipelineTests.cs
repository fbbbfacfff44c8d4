using System.Text.Json.Nodes;
using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>A backfill through the grain: rows that existed before the pipeline become jobs of the links it names.</summary>
public sealed class BackfillPipelineTests(BackfillPipelineTests.Fixture fixture) : IClassFixture<BackfillPipelineTests.Fixture>
{
    private const string Setup = """
        CREATE TABLE history (id int PRIMARY KEY, note text);
        INSERT INTO history SELECT g, 'old ' || g FROM generate_series(1, 6) g;
        """;

    private PipelineCluster Pipeline => fixture.Pipeline;

    [Fact]
    public async Task A_backfill_for_one_link_makes_one_read_job_per_row_on_that_link_only()
    {
        var backfills = Pipeline.Client.GetGrain<IBackfillGrain>(0);

        var started = Assert.Single(await backfills.StartAsync(new BackfillRequest { Input = "history", Where = "id <= 4", Links = ["history-cat"], PageSize = 3 }));
        var jobs = await Pipeline.FinishedJobsAsync("history-cat", 4);

        Assert.All(jobs, j => Assert.Equal((JobStatus.Succeeded, ChangeOperation.Read), (j.Status, j.Event!.Operation)));
        Assert.Equal(["old 1", "old 2", "old 3", "old 4"], jobs.Select(j => JsonNode.Parse(j.Runs[0].StdoutTail)!["new"]!["note"]!.GetValue<string>()));
        Assert.All(jobs, j => Assert.Equal("read", JsonNode.Parse(j.Runs[0].StdoutTail)!["operation"]!.GetValue<string>()));
        var done = await Eventually.WaitAsync(() => backfills.GetAsync(started.Id), b => b!.Status == BackfillStatus.Done, "the backfill to be done");
        Assert.Equal(4, done!.RowsDone);
        Assert.Contains(await backfills.ListAsync(), b => b.Id == started.Id);
        await Eventually.UntilAsync(
            async () => await Pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log") == 0, "the event log to empty");
        Assert.Empty(await Pipeline.JobsAsync("history-ok"));
    }

    [Fact]
    public async Task A_refused_backfill_crosses_the_grain_call_as_a_typed_error()
    {
        var e = await Assert.ThrowsAsync<BackfillRefusedException>(() =>
            Pipeline.Client.GetGrain<IBackfillGrain>(0).StartAsync(new BackfillRequest { Input = "history", Where = "nope = 1" }));

        Assert.Equal((BackfillErrorCode.InvalidFilter, 1), (e.Code, e.Position));
    }

    private static string Pipelines(string image) => $$"""
        {
          "inputs": [ { "id": "history", "tables": ["history"] } ],
          "processes": [
            { "id": "ok", "image": "{{image}}", "command": ["true"] },
            { "id": "cat", "image": "{{image}}", "command": ["cat", "/orchestrator/event.json"] }
          ],
          "links": [
            { "id": "history-ok", "input": "history", "process": "ok" },
            { "id": "history-cat", "input": "history", "process": "cat" }
          ]
        }
        """;

    /// <summary>The cluster of this class's tests.</summary>
    public sealed class Fixture() : PipelineFixture(nameof(BackfillPipelineTests), Setup, Pipelines);
}

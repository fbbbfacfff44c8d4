using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>Filtered links in a running silo: jobs only for the changes that match, the rest counted per link.</summary>
public sealed class LinkFilterTests(LinkFilterTests.Fixture fixture) : IClassFixture<LinkFilterTests.Fixture>
{
    private const string Setup = """
        CREATE TABLE orders (id int PRIMARY KEY, status text, amount numeric);
        CREATE TABLE audits (id int PRIMARY KEY, amount numeric);
        """;

    private PipelineCluster Pipeline => fixture.Pipeline;

    [Fact]
    public async Task A_filtered_link_beside_an_unfiltered_one_makes_jobs_only_for_matching_changes_and_counts_the_rest()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO orders VALUES (1, 'new', 5), (2, 'paid', 20)");
        await Pipeline.Database.ExecuteAsync("UPDATE orders SET status = 'paid' WHERE id = 1");
        await Pipeline.Database.ExecuteAsync("UPDATE orders SET amount = 21 WHERE id = 2");

        await Pipeline.FinishedJobsAsync("orders-all", 4);
        var counts = await Eventually.WaitAsync(
            () => Pipeline.Client.GetGrain<IJobQueryGrain>(0).CountAsync(["orders-paid", "orders-all"]),
            c => c.Events.Count > 0,
            "the filtered count of orders-paid");
        var paid = await Pipeline.FinishedJobsAsync("orders-paid", 2);

        Assert.Equal([(ChangeOperation.Insert, 2), (ChangeOperation.Update, 1)], paid.Select(j => (j.Event!.Operation, Id(j.Event.NewRow))));
        Assert.Equal([new LinkEventCount("orders-paid", 2, 0)], counts.Events);
        Assert.Equal(4, counts.Statuses.Where(s => s.LinkId == "orders-all").Sum(s => s.Count));
    }

    [Fact]
    public async Task When_every_link_of_an_input_filters_unwanted_changes_never_reach_the_event_log()
    {
        await Pipeline.Database.ExecuteAsync("INSERT INTO audits VALUES (1, 50), (2, 500)");
        await Pipeline.Database.ExecuteAsync("UPDATE audits SET amount = 5000 WHERE id = 1");

        var jobs = await Pipeline.FinishedJobsAsync("audits-big", 2);

        Assert.Equal([(ChangeOperation.Insert, 2), (ChangeOperation.Update, 1)], jobs.Select(j => (j.Event!.Operation, Id(j.Event.NewRow))));
        Assert.Equal(0, await Pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log WHERE input_id = 'audits'"));
        Assert.DoesNotContain((await Pipeline.Client.GetGrain<IJobQueryGrain>(0).CountAsync(["audits-big"])).Events, f => f.Filtered > 0);
        Assert.Equal(2, (await Pipeline.JobsAsync("audits-big")).Count);
    }

    private static int Id(string? row) => System.Text.Json.JsonDocument.Parse(row!).RootElement.GetProperty("id").GetInt32();

    private static string Pipelines(string image) => $$"""
        {
          "inputs": [ { "id": "orders", "tables": ["orders"] }, { "id": "audits", "tables": ["audits"] } ],
          "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
          "links": [
            { "id": "orders-all", "input": "orders", "process": "ok" },
            { "id": "orders-paid", "input": "orders", "process": "ok", "filter": { "when": "changed(status) and new.status == 'paid'" } },
            { "id": "audits-big", "input": "audits", "process": "ok", "filter": { "operations": ["insert", "update"], "when": "amount > 100" } }
          ]
        }
        """;

    /// <summary>The cluster of this class's tests.</summary>
    public sealed class Fixture() : PipelineFixture(nameof(LinkFilterTests), Setup, Pipelines);
}

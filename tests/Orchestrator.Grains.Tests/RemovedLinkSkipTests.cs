using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// An event that reaches a link the graph no longer has (its receiver addressed it with an older version of the graph,
/// as happens around a link's removal) makes no job and is counted as skipped; the input's other links are untouched.
/// </summary>
public sealed class RemovedLinkSkipTests
{
    private const string GoneLink = "orders-gone";

    [Fact]
    public async Task An_event_for_a_link_no_longer_in_the_graph_makes_no_job_and_is_counted_as_skipped()
    {
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(RemovedLinkSkipTests),
            "CREATE TABLE orders (id int PRIMARY KEY)",
            image => $$"""
                {
                  "inputs": [ { "id": "orders", "tables": ["orders"] } ],
                  "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
                  "links": [ { "id": "orders-kept", "input": "orders", "process": "ok" } ]
                }
                """,
            (silo, connectionString) => silo.Services.AddSingleton<ICaptureTopology>(
                sp => new AlsoAddressing(new PipelineCaptureTopology(sp.GetRequiredService<IPipelineGraph>(), connectionString))));

        await pipeline.Database.ExecuteAsync("INSERT INTO orders VALUES (1), (2), (3)");

        await pipeline.FinishedJobsAsync("orders-kept", 3);
        var counts = await Eventually.WaitAsync(
            () => pipeline.Client.GetGrain<IJobQueryGrain>(0).CountAsync([GoneLink, "orders-kept"]),
            c => c.Events.Sum(e => e.Skipped) >= 3,
            "three skipped events of the removed link");
        Assert.Equal([new LinkEventCount(GoneLink, 0, 3)], counts.Events);
        Assert.Empty(await pipeline.JobsAsync(GoneLink));
        Assert.Equal(0, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log"));
    }

    /// <summary>The silo's topology, but every input's events are also addressed to <see cref="GoneLink"/>, as by a receiver that still had it.</summary>
    private sealed class AlsoAddressing(ICaptureTopology inner) : ICaptureTopology
    {
        public IReadOnlyList<CaptureSource> Sources => inner.Sources;

        public IReadOnlyCollection<string> OrderedInputs => inner.OrderedInputs;

        public IReadOnlyList<string> LinksFor(string inputId) => [.. inner.LinksFor(inputId), GoneLink];

        public Task RefreshAsync(CancellationToken cancellationToken) => inner.RefreshAsync(cancellationToken);
    }
}

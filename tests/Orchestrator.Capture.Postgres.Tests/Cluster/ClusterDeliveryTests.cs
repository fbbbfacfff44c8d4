using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Capture.Postgres.Tests.Cluster;

/// <summary>The provider in a real (in-process) Orleans cluster, with implicit consumers and a real database.</summary>
public sealed class ClusterDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rows_committed_before_and_after_start_reach_every_link_and_are_acknowledged()
    {
        await using var cluster = await CaptureCluster.PrepareAsync(nameof(Rows_committed_before_and_after_start_reach_every_link_and_are_acknowledged), "l1", "l2");
        await cluster.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 100)");

        await cluster.StartAsync();
        for (var i = 101; i <= 200; i += 10)
        {
            await cluster.Database.ExecuteAsync("INSERT INTO t SELECT generate_series($1, $2)", i, i + 9);
        }

        await cluster.AllDeliveredAsync(200);
        await cluster.AcknowledgedAsync();
        output.WriteLine($"delivery attempts: {Deliveries.Of(cluster.InputId).Count}");
    }

    [Fact]
    public async Task A_consumer_that_fails_gets_the_events_again_until_it_succeeds()
    {
        await using var cluster = await CaptureCluster.PrepareAsync(nameof(A_consumer_that_fails_gets_the_events_again_until_it_succeeds), "l");
        await cluster.StartAsync(silos: 1, pullingAgent: o => o.MaxEventDeliveryTime = TimeSpan.FromSeconds(2));
        Deliveries.FailNext(cluster.InputId, 3);

        await cluster.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        await cluster.AllDeliveredAsync(1);
        await cluster.AcknowledgedAsync();
        var attempts = Deliveries.Of(cluster.InputId);
        output.WriteLine(string.Join(Environment.NewLine, attempts.Select(a => $"token {a.Token} failed {a.Failed} events [{string.Join(", ", a.EventIds)}]")));
        Assert.Equal(3, attempts.Count(a => a.Failed));
    }

    [Fact]
    public async Task Stopping_a_silo_hands_its_queues_over_without_losing_events()
    {
        await using var cluster = await CaptureCluster.PrepareAsync(nameof(Stopping_a_silo_hands_its_queues_over_without_losing_events), "l");
        await cluster.StartAsync(silos: 2);
        await cluster.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(1, 100)");
        await cluster.AllDeliveredAsync(100);

        var reading = cluster.Cluster!.Silos.Where(s => cluster.ReceiversOn(s) > 0).ToList();

        output.WriteLine($"{reading.Count} of {cluster.Cluster.Silos.Count} silos read queues; stopping silo {cluster.Cluster.Silos.IndexOf(reading[^1])}");
        await cluster.Cluster.StopSiloAsync(reading[^1]);
        await cluster.Database.ExecuteAsync("INSERT INTO t SELECT generate_series(101, 200)");

        await cluster.AllDeliveredAsync(200);
        await cluster.AcknowledgedAsync();
        await Eventually.UntilAsync(async () => await cluster.ListenersAsync() == 1, "one listening silo");
    }
}

using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A backfill's read events reach only the links it names, and every link when it names none.</summary>
public sealed class BackfillLinkTests
{
    private const string Setup = "CREATE TABLE items (id integer PRIMARY KEY, status text); INSERT INTO items SELECT g, 'open' FROM generate_series(1, 9) g";

    [Fact]
    public async Task Read_events_are_published_only_on_the_named_links_streams_and_deleted_once_delivered()
    {
        var options = new PostgresCaptureStreamOptions { QueueCount = 1 };
        await using var capture = await CaptureHarness.StartAsync(nameof(Read_events_are_published_only_on_the_named_links_streams_and_deleted_once_delivered), Setup, options, "a", "b", "c");
        await using var backfill = BackfillHarness.Over(capture.Database, Pipelines.Definition("a", "b", "c"), options.QueueCount);
        var silo = await capture.SiloAsync();
        await silo.IdleAsync();

        await backfill.StartAsync(new BackfillRequest { Input = "in", Table = "items", Links = ["b", "c"] });
        await backfill.StartAsync(new BackfillRequest { Input = "in", Table = "items", Where = "id = 1" });
        await backfill.RunToEndAsync();
        var read = await silo.ReadAsync(9 * 2 + 3);

        var byLink = read.GroupBy(c => c.StreamId.GetKeyAsString()).ToDictionary(g => g.Key, g => TestSilo.Events(g).Select(e => e.Id).Order().ToList());
        Assert.Equal(["a", "b", "c"], byLink.Keys.Order());
        Assert.Single(byLink["a"]);
        Assert.Equal(10, byLink["b"].Count);
        Assert.Equal(byLink["b"], byLink["c"]);
        Assert.All(TestSilo.Events(read), e => Assert.Equal(ChangeOperation.Read, e.Operation));
        await silo.DeliveredAsync(read);
        Assert.Equal(0, await capture.LogCountAsync());
    }
}

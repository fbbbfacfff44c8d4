namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>The receiver's bookkeeping of held events, without a database.</summary>
public sealed class PendingDeliveriesTests
{
    [Fact]
    public void An_event_is_done_when_every_container_of_its_read_was_delivered()
    {
        var pending = new PendingDeliveries();
        pending.Add(1, 0, [new(10, 1), new(11, 1)]);
        pending.Add(2, 0, [new(10, 1)]);

        Assert.Equal([new SourceReceipt(0, new(11, 1))], pending.Delivered(1));
        Assert.Equal([new SourceReceipt(0, new(10, 1))], pending.Delivered(2));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void A_container_of_an_older_read_no_longer_counts()
    {
        var pending = new PendingDeliveries();
        pending.Add(1, 0, [new(10, 1)]);
        pending.Add(2, 0, [new(10, 2)]);

        Assert.Empty(pending.Delivered(1));
        Assert.Empty(pending.Failed(1));
        Assert.Equal([new SourceReceipt(0, new(10, 2))], pending.Delivered(2));
    }

    [Fact]
    public void A_failed_container_gives_up_its_events_and_their_other_containers_then_do_nothing()
    {
        var pending = new PendingDeliveries();
        pending.Add(1, 3, [new(10, 1)]);
        pending.Add(2, 3, [new(10, 1)]);

        Assert.Equal([new SourceReceipt(3, new(10, 1))], pending.Failed(1));
        Assert.Empty(pending.Delivered(2));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void Events_of_different_sources_with_the_same_id_are_held_apart()
    {
        var pending = new PendingDeliveries();
        pending.Add(1, 0, [new(10, 1)]);
        pending.Add(2, 1, [new(10, 1)]);

        Assert.Equal(2, pending.Count);
        Assert.Equal([new SourceReceipt(0, new(10, 1)), new SourceReceipt(1, new(10, 1))], pending.TakeAll().OrderBy(r => r.Source));
        Assert.Equal(0, pending.Count);
    }
}

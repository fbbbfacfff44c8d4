using Orchestrator.Abstractions.Grains;
using Orchestrator.Grains.Gates;

namespace Orchestrator.Grains.Tests;

public sealed class ProcessGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static GateTicket Ticket(long eventId, int limit = 2) => new(limit, DateTimeOffset.UnixEpoch.AddSeconds(eventId), eventId);

    [Fact]
    public void Admits_up_to_the_limit_and_queues_the_rest()
    {
        var gate = new ProcessGate(2, Lease);

        Assert.Equal(["a"], gate.Enqueue("a", Ticket(1), T0));
        Assert.Equal(["b"], gate.Enqueue("b", Ticket(2), T0));
        Assert.Empty(gate.Enqueue("c", Ticket(3), T0));

        Assert.True(gate.Holds("a"));
        Assert.False(gate.Holds("c"));
        Assert.Equal((2, 1), (gate.Running, gate.Waiting));
    }

    [Fact]
    public void A_freed_slot_goes_to_the_oldest_event_not_the_first_to_ask()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("running", Ticket(1, limit: 1), T0);
        gate.Enqueue("newer", Ticket(9, limit: 1), T0);
        gate.Enqueue("older", Ticket(5, limit: 1), T0);

        Assert.Equal(["older"], gate.Release("running", T0));
        Assert.Equal(["newer"], gate.Release("older", T0));
        Assert.Equal(1, gate.MaxRunningSeen);
    }

    [Fact]
    public void Asking_twice_neither_doubles_a_slot_nor_a_place_in_the_queue()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("a", Ticket(1, limit: 1), T0);
        gate.Enqueue("a", Ticket(1, limit: 1), T0);
        gate.Enqueue("b", Ticket(2, limit: 1), T0);
        gate.Enqueue("b", Ticket(2, limit: 1), T0);

        Assert.Equal((1, 1), (gate.Running, gate.Waiting));
        Assert.Equal(["b"], gate.Release("a", T0));
        Assert.Empty(gate.Release("b", T0));
        Assert.Equal((0, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public void Releasing_a_waiting_job_removes_it_from_the_queue()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("a", Ticket(1, limit: 1), T0);
        gate.Enqueue("b", Ticket(2, limit: 1), T0);

        Assert.Empty(gate.Release("b", T0));
        Assert.Empty(gate.Release("a", T0));
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public void A_raised_limit_admits_waiting_jobs_at_once()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("a", Ticket(1, limit: 1), T0);
        gate.Enqueue("b", Ticket(2, limit: 1), T0);

        Assert.Equal(["b", "c"], gate.Enqueue("c", Ticket(3, limit: 3), T0));
    }

    [Fact]
    public void A_hold_counts_even_past_the_limit_and_takes_the_job_out_of_the_queue()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("a", Ticket(1, limit: 1), T0);
        gate.Enqueue("adopted", Ticket(2, limit: 1), T0);

        Assert.Empty(gate.Hold("adopted", Ticket(2, limit: 1), T0));

        Assert.Equal((2, 0), (gate.Running, gate.Waiting));
        Assert.Empty(gate.Release("a", T0));
        Assert.Empty(gate.Enqueue("c", Ticket(3, limit: 1), T0));
    }

    [Fact]
    public void A_hold_not_renewed_within_the_lease_expires_and_its_slot_goes_to_a_waiting_job()
    {
        var gate = new ProcessGate(1, Lease);
        gate.Enqueue("lost", Ticket(1, limit: 1), T0);
        gate.Enqueue("renewed", Ticket(2, limit: 1), T0);
        gate.Hold("renewed", Ticket(2, limit: 1), T0);
        gate.Enqueue("waiting", Ticket(3, limit: 2), T0);

        Assert.Empty(gate.Hold("renewed", Ticket(2, limit: 2), T0 + Lease));
        Assert.Equal(["waiting"], gate.Enqueue("late", Ticket(4, limit: 2), T0 + Lease + TimeSpan.FromSeconds(1)));

        Assert.False(gate.Holds("lost"));
        Assert.True(gate.Holds("renewed"));
        Assert.Equal(1, gate.Waiting);
    }
}

using Orchestrator.Abstractions.Grains;
using Orchestrator.Grains.Gates;

namespace Orchestrator.Grains.Tests;

public sealed class ProcessGateTests
{
    private static GateTicket Ticket(long eventId, int limit = 2) => new(limit, DateTimeOffset.UnixEpoch.AddSeconds(eventId), eventId);

    [Fact]
    public void Admits_up_to_the_limit_and_queues_the_rest()
    {
        var gate = new ProcessGate(2);

        Assert.Equal(["a"], gate.Enqueue("a", Ticket(1)));
        Assert.Equal(["b"], gate.Enqueue("b", Ticket(2)));
        Assert.Empty(gate.Enqueue("c", Ticket(3)));

        Assert.True(gate.Holds("a"));
        Assert.False(gate.Holds("c"));
        Assert.Equal((2, 1), (gate.Running, gate.Waiting));
    }

    [Fact]
    public void A_freed_slot_goes_to_the_oldest_event_not_the_first_to_ask()
    {
        var gate = new ProcessGate(1);
        gate.Enqueue("running", Ticket(1, limit: 1));
        gate.Enqueue("newer", Ticket(9, limit: 1));
        gate.Enqueue("older", Ticket(5, limit: 1));

        Assert.Equal(["older"], gate.Release("running"));
        Assert.Equal(["newer"], gate.Release("older"));
        Assert.Equal(1, gate.MaxRunningSeen);
    }

    [Fact]
    public void Asking_twice_neither_doubles_a_slot_nor_a_place_in_the_queue()
    {
        var gate = new ProcessGate(1);
        gate.Enqueue("a", Ticket(1, limit: 1));
        gate.Enqueue("a", Ticket(1, limit: 1));
        gate.Enqueue("b", Ticket(2, limit: 1));
        gate.Enqueue("b", Ticket(2, limit: 1));

        Assert.Equal((1, 1), (gate.Running, gate.Waiting));
        Assert.Equal(["b"], gate.Release("a"));
        Assert.Empty(gate.Release("b"));
        Assert.Equal((0, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public void Releasing_a_waiting_job_removes_it_from_the_queue()
    {
        var gate = new ProcessGate(1);
        gate.Enqueue("a", Ticket(1, limit: 1));
        gate.Enqueue("b", Ticket(2, limit: 1));

        Assert.Empty(gate.Release("b"));
        Assert.Empty(gate.Release("a"));
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public void A_raised_limit_admits_waiting_jobs_at_once()
    {
        var gate = new ProcessGate(1);
        gate.Enqueue("a", Ticket(1, limit: 1));
        gate.Enqueue("b", Ticket(2, limit: 1));

        Assert.Equal(["b", "c"], gate.Enqueue("c", Ticket(3, limit: 3)));
    }
}

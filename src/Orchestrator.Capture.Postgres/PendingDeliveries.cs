namespace Orchestrator.Capture.Postgres;

/// <summary>
/// What a receiver holds: every leased event with the receipt of its latest read, and the batch containers (by
/// sequence number) that carry it. An event is done when every container of its latest read was delivered; a
/// container of an older read of the same event no longer counts. Not thread-safe: the receiver locks.
/// </summary>
internal sealed class PendingDeliveries
{
    private readonly Dictionary<(int Source, long Id), PendingEvent> _events = [];
    private readonly Dictionary<long, List<SourceReceipt>> _containers = [];

    /// <summary>How many events are held.</summary>
    public int Count => _events.Count;

    /// <summary>Records that the container <paramref name="token"/> carries these events, read under these receipts.</summary>
    public void Add(long token, int source, IEnumerable<EventReceipt> receipts)
    {
        var carried = new List<SourceReceipt>();
        foreach (var receipt in receipts)
        {
            var key = (source, receipt.Id);
            if (!_events.TryGetValue(key, out var held) || held.Deliveries != receipt.Deliveries)
            {
                _events[key] = held = new PendingEvent(receipt.Deliveries);
            }

            held.Containers.Add(token);
            carried.Add(new SourceReceipt(source, receipt));
        }

        _containers[token] = carried;
    }

    /// <summary>Marks the container delivered; returns the receipts of the events that are now done.</summary>
    public List<SourceReceipt> Delivered(long token)
    {
        var done = new List<SourceReceipt>();
        foreach (var carried in Take(token))
        {
            var key = (carried.Source, carried.Receipt.Id);
            if (_events.TryGetValue(key, out var held) && held.Deliveries == carried.Receipt.Deliveries
                && held.Containers.Remove(token) && held.Containers.Count == 0)
            {
                _events.Remove(key);
                done.Add(carried);
            }
        }

        return done;
    }

    /// <summary>Gives up the container's events (their delivery failed); returns the receipts still held, to release.</summary>
    public List<SourceReceipt> Failed(long token)
    {
        var released = new List<SourceReceipt>();
        foreach (var carried in Take(token))
        {
            var key = (carried.Source, carried.Receipt.Id);
            if (_events.TryGetValue(key, out var held) && held.Deliveries == carried.Receipt.Deliveries)
            {
                _events.Remove(key);
                released.Add(carried);
            }
        }

        return released;
    }

    /// <summary>Gives up everything; returns the receipts of every held event.</summary>
    public List<SourceReceipt> TakeAll()
    {
        var all = _events.Select(e => new SourceReceipt(e.Key.Source, new EventReceipt(e.Key.Id, e.Value.Deliveries))).ToList();
        _events.Clear();
        _containers.Clear();
        return all;
    }

    private List<SourceReceipt> Take(long token) => _containers.Remove(token, out var carried) ? carried : [];

    private sealed class PendingEvent(int deliveries)
    {
        public int Deliveries { get; } = deliveries;

        public HashSet<long> Containers { get; } = [];
    }
}

using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Grains.Gates;

/// <summary>
/// A counting gate: at most <see cref="Limit"/> holders; the others wait and are admitted oldest event first.
/// A hold is a lease: a holder that neither renews (<see cref="Hold"/>) nor releases within <see cref="Lease"/>
/// (its job was lost with a silo) is dropped, so its slot comes back. Plain logic, no Orleans: the gate grain
/// keeps one per process.
/// </summary>
public sealed class ProcessGate
{
    private readonly Dictionary<string, DateTimeOffset> _holders = new(StringComparer.Ordinal);
    private readonly SortedSet<Waiter> _waiting = new(WaiterOrder.Instance);
    private readonly Dictionary<string, Waiter> _waitingByJob = new(StringComparer.Ordinal);

    /// <summary>Creates a gate with <paramref name="limit"/> slots whose holds last <paramref name="lease"/> unless renewed.</summary>
    public ProcessGate(int limit, TimeSpan lease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        Limit = limit;
        Lease = lease;
    }

    /// <summary>How long a hold lasts without renewal.</summary>
    public TimeSpan Lease { get; }

    /// <summary>How many jobs may hold a slot at once.</summary>
    public int Limit { get; private set; }

    /// <summary>How many jobs hold a slot.</summary>
    public int Running => _holders.Count;

    /// <summary>How many jobs wait.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>The most holders seen at once.</summary>
    public int MaxRunningSeen { get; private set; }

    /// <summary>True when <paramref name="jobId"/> holds a slot.</summary>
    public bool Holds(string jobId) => _holders.ContainsKey(jobId);

    /// <summary>
    /// Queues <paramref name="jobId"/> (unless it holds a slot or waits already), adopts the ticket's limit, and
    /// admits waiting jobs, oldest event first, while slots are free. Returns the jobs admitted by this call.
    /// </summary>
    public IReadOnlyList<string> Enqueue(string jobId, GateTicket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        Limit = Math.Max(1, ticket.Limit);
        if (!_holders.ContainsKey(jobId) && !_waitingByJob.ContainsKey(jobId))
        {
            var waiter = new Waiter(jobId, ticket.CapturedAt, ticket.EventId);
            _waiting.Add(waiter);
            _waitingByJob.Add(jobId, waiter);
        }

        return AdmitWaiting(now);
    }

    /// <summary>
    /// Makes <paramref name="jobId"/> a holder (leaving the queue if it waited), even past the limit, or renews its
    /// hold: the job runs whatever the gate thinks. Returns the jobs admitted because expired holds were dropped.
    /// </summary>
    public IReadOnlyList<string> Hold(string jobId, GateTicket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        Limit = Math.Max(1, ticket.Limit);
        if (_waitingByJob.Remove(jobId, out var waiter))
        {
            _waiting.Remove(waiter);
        }

        _holders[jobId] = now;
        return AdmitWaiting(now);
    }

    /// <summary>Frees the slot of <paramref name="jobId"/> (or drops it from the queue); returns the jobs admitted in its place.</summary>
    public IReadOnlyList<string> Release(string jobId, DateTimeOffset now)
    {
        if (_waitingByJob.Remove(jobId, out var waiter))
        {
            _waiting.Remove(waiter);
        }

        _holders.Remove(jobId);
        return AdmitWaiting(now);
    }

    private List<string> AdmitWaiting(DateTimeOffset now)
    {
        foreach (var expired in _holders.Where(h => now - h.Value > Lease).Select(h => h.Key).ToList())
        {
            _holders.Remove(expired);
        }

        var admitted = new List<string>();
        while (_holders.Count < Limit && _waiting.Min is { } next)
        {
            _waiting.Remove(next);
            _waitingByJob.Remove(next.JobId);
            _holders.Add(next.JobId, now);
            admitted.Add(next.JobId);
        }

        MaxRunningSeen = Math.Max(MaxRunningSeen, _holders.Count);
        return admitted;
    }

    private sealed record Waiter(string JobId, DateTimeOffset CapturedAt, long EventId);

    private sealed class WaiterOrder : IComparer<Waiter>
    {
        public static readonly WaiterOrder Instance = new();

        public int Compare(Waiter? x, Waiter? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var byTime = x.CapturedAt.CompareTo(y.CapturedAt);
            if (byTime != 0)
            {
                return byTime;
            }

            var byEvent = x.EventId.CompareTo(y.EventId);
            return byEvent != 0 ? byEvent : string.CompareOrdinal(x.JobId, y.JobId);
        }
    }
}

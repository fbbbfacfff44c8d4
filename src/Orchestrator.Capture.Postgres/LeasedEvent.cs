using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>An event read under a lease, with the delivery count of this read (its receipt).</summary>
/// <param name="Event">The event.</param>
/// <param name="Deliveries">The delivery count the read set.</param>
/// <param name="Links">The links a backfill addressed the event to; null for every link of its input.</param>
internal sealed record LeasedEvent(CapturedEvent Event, int Deliveries, IReadOnlyList<string>? Links)
{
    /// <summary>Which of <paramref name="inputLinks"/> (the links of the event's input) receive the event.</summary>
    public IReadOnlyList<string> AddressedFrom(IReadOnlyList<string> inputLinks) =>
        Links is null ? inputLinks : inputLinks.Where(l => Links.Contains(l, StringComparer.Ordinal)).ToList();
}

using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>An event read under a lease, with the delivery count of this read (its receipt).</summary>
/// <param name="Event">The event.</param>
/// <param name="Deliveries">The delivery count the read set.</param>
internal sealed record LeasedEvent(CapturedEvent Event, int Deliveries);

namespace Orchestrator.Capture.Postgres;

/// <summary>Proof of one read of an event: its id and the delivery count that read set.</summary>
/// <param name="Id">The event's id.</param>
/// <param name="Deliveries">The delivery count of the read.</param>
internal readonly record struct EventReceipt(long Id, int Deliveries);

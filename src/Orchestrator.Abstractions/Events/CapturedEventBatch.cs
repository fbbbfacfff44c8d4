namespace Orchestrator.Abstractions.Events;

/// <summary>
/// The events the stream provider read in one pass for one link's stream. Delivering them as one item lets the
/// consumer record their jobs concurrently instead of one grain call per event.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.captured-event-batch")]
public sealed record CapturedEventBatch([property: Id(0)] IReadOnlyList<CapturedEvent> Events);

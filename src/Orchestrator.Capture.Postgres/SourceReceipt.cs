namespace Orchestrator.Capture.Postgres;

/// <summary>A receipt and the source database it belongs to.</summary>
/// <param name="Source">The source's index.</param>
/// <param name="Receipt">The receipt.</param>
internal readonly record struct SourceReceipt(int Source, EventReceipt Receipt);

namespace Orchestrator.Capture.Postgres;

/// <summary>A watched table and its primary-key columns.</summary>
/// <param name="Name">The table's name.</param>
/// <param name="KeyColumns">Its primary-key columns in key order; empty when it has none (the whole row is its identity).</param>
public sealed record CapturedTable(string Name, IReadOnlyList<string> KeyColumns);

namespace Orchestrator.Host.Health;

/// <summary>What the silo last learned about one thing it depends on.</summary>
/// <param name="Name">The dependency ("postgres", "engine").</param>
/// <param name="Reachable">Whether the last check reached it.</param>
/// <param name="Since">When it became reachable or unreachable.</param>
/// <param name="Error">Why the last check failed; null when it is reachable.</param>
public sealed record DependencyStatus(string Name, bool Reachable, DateTimeOffset Since, string? Error);

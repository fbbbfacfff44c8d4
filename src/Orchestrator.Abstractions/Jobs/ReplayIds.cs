namespace Orchestrator.Abstractions.Jobs;

/// <summary>Replay ids: short, unique, and safe inside a job id (<see cref="JobKeys.Replay"/>).</summary>
public static class ReplayIds
{
    /// <summary>A new replay id, e.g. <c>r3f9c2a1b7d4e</c>.</summary>
    public static string New() => "r" + Guid.NewGuid().ToString("N")[..12];
}

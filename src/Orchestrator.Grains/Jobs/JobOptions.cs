namespace Orchestrator.Grains.Jobs;

/// <summary>How jobs keep themselves going across crashes.</summary>
public sealed class JobOptions
{
    /// <summary>
    /// How often the rescuer looks for unfinished jobs nobody carries on (<see cref="JobRescuerGrain"/>), and how long
    /// a job's record may stay unchanged before it is resumed anyway (its activation, or the in-memory gate queue it
    /// waited in, may be gone). Jobs of a silo that left the cluster are resumed as soon as it is declared dead.
    /// </summary>
    public TimeSpan RescuePeriod { get; set; } = TimeSpan.FromMinutes(1);
}

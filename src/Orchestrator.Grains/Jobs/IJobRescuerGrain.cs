using Orleans.Concurrency;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The cluster's one rescuer of unfinished jobs (key 0). Every silo asks it for a pass when it starts, when a silo
/// leaves the cluster and once every <see cref="JobOptions.RescuePeriod"/> (<see cref="JobRescueTrigger"/>), so it
/// lives on whichever silo is up.
/// </summary>
public interface IJobRescuerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Asks for a pass over the unattended unfinished jobs. <paramref name="urgent"/>: run it even if a pass ran
    /// less than half a period ago (a silo started or left). One-way: the pass runs in the rescuer's background.
    /// </summary>
    [OneWay]
    Task PokeAsync(bool urgent);
}

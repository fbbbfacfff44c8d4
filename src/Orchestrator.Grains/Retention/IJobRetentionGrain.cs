namespace Orchestrator.Grains.Retention;

/// <summary>The cluster's one retention task over the job records; keyed by <see cref="JobRetentionGrain.Key"/>.</summary>
public interface IJobRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers (or updates, when the configured interval changed) the durable reminder that drives the sweeps; the
    /// first sweep follows within a minute. Every silo calls it when it starts; calling it again is harmless.
    /// </summary>
    Task StartAsync();
}

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// One link (input → process), keyed by the link's id. It consumes the link's stream of its input's events and
/// makes one job per event; its jobs are queried through <see cref="IJobQueryGrain"/>.
/// </summary>
public interface ILinkGrain : IGrainWithStringKey;

using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Grains;

/// <summary>Answers what the silos run: the links of the loaded pipelines (no connection strings).</summary>
public interface IPipelineGrain : IGrainWithIntegerKey
{
    /// <summary>Every link of the loaded pipelines.</summary>
    Task<IReadOnlyList<LinkDefinition>> GetLinksAsync();
}

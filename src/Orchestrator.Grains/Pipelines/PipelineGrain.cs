using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Pipelines;

/// <summary>Answers from the pipelines the local silo loaded; runs on whichever silo is asked.</summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class PipelineGrain(PipelineCatalog catalog) : Grain, IPipelineGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LinkDefinition>> GetLinksAsync() => Task.FromResult(catalog.Definition.Links);
}

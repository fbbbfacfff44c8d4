using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A pipeline graph that never changes: the capture tests' silos have no stored graph.</summary>
internal sealed class FixedPipelineGraph(PipelineDefinition definition) : IPipelineGraph
{
    public PipelineCatalog Current { get; } = new(definition);

    public Task<PipelineCatalog> RefreshAsync(CancellationToken cancellationToken = default) => Task.FromResult(Current);
}

using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres;

/// <summary>One stored version of the pipeline graph.</summary>
/// <param name="Version">Its version number.</param>
/// <param name="Definition">The graph, connection strings included.</param>
/// <param name="AppliedAt">When it was stored.</param>
/// <param name="AppliedBy">Who stored it.</param>
public sealed record StoredPipeline(long Version, PipelineDefinition Definition, DateTimeOffset AppliedAt, string AppliedBy);

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// A stored version of the pipeline graph as clients see it: inputs' connection strings are left out (they are
/// secrets), so an input that names none in a snapshot may still read another database.
/// </summary>
/// <param name="Version">The version (0: nothing stored yet).</param>
/// <param name="Definition">The graph, without connection strings.</param>
/// <param name="AppliedAt">When it was stored.</param>
/// <param name="AppliedBy">Who stored it (<c>file:PATH</c> for a pipelines file applied at start).</param>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-snapshot")]
public sealed record PipelineSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] PipelineDefinition Definition,
    [property: Id(2)] DateTimeOffset? AppliedAt,
    [property: Id(3)] string? AppliedBy)
{
    /// <summary><paramref name="definition"/> without its inputs' connection strings.</summary>
    public static PipelineDefinition Redact(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition with { Inputs = [.. definition.Inputs.Select(i => i with { ConnectionString = null })] };
    }
}

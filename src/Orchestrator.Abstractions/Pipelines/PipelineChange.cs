namespace Orchestrator.Abstractions.Pipelines;

/// <summary>One element a change adds, changes or removes.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-change")]
public sealed record PipelineChange(
    [property: Id(0)] PipelineChangeKind Kind,
    [property: Id(1)] PipelineElement Element,
    [property: Id(2)] string Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{Sign} {Element.ToString().ToLowerInvariant()} {Id}";

    private string Sign => Kind switch
    {
        PipelineChangeKind.Added => "+",
        PipelineChangeKind.Removed => "-",
        _ => "~",
    };
}

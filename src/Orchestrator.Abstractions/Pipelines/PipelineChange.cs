namespace Orchestrator.Abstractions.Pipelines;

/// <summary>What a change does to one element of the graph.</summary>
[GenerateSerializer]
[Alias("orchestrator.pipeline-change-kind")]
public enum PipelineChangeKind
{
    /// <summary>The element is new.</summary>
    Added = 0,

    /// <summary>The element is replaced by a different one with the same id.</summary>
    Changed = 1,

    /// <summary>The element is gone.</summary>
    Removed = 2,
}

/// <summary>Which part of the graph an element is.</summary>
[GenerateSerializer]
[Alias("orchestrator.pipeline-element")]
public enum PipelineElement
{
    /// <summary>An input.</summary>
    Input = 0,

    /// <summary>A process.</summary>
    Process = 1,

    /// <summary>A link.</summary>
    Link = 2,
}

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

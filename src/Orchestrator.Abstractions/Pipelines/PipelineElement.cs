namespace Orchestrator.Abstractions.Pipelines;

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

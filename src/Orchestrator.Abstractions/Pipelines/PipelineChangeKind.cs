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

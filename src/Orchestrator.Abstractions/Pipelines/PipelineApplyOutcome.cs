namespace Orchestrator.Abstractions.Pipelines;

/// <summary>How a change of the pipeline graph ended.</summary>
[GenerateSerializer]
[Alias("orchestrator.pipeline-apply-outcome")]
public enum PipelineApplyOutcome
{
    /// <summary>The change is stored as a new version and installed.</summary>
    Applied = 0,

    /// <summary>The definition is the current one: nothing to do.</summary>
    Unchanged = 1,

    /// <summary>A dry run: the change is valid and would do <see cref="PipelineApplyResult.Changes"/>.</summary>
    Valid = 2,

    /// <summary>The change was refused; <see cref="PipelineApplyResult.Errors"/> says why. Nothing was changed.</summary>
    Invalid = 3,
}

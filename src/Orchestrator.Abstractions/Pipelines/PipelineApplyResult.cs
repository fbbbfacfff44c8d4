namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The answer to a change of the pipeline graph.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Version">The current version after the change (for a dry run or a refusal, the version it was checked against).</param>
/// <param name="Changes">What the change does (or would do), element by element.</param>
/// <param name="Errors">Every problem, when refused.</param>
/// <param name="SilosBehind">The active silos that had not yet read <see cref="Version"/> when the answer was given (empty: it is live everywhere).</param>
/// <param name="JobsCancelled">How many unfinished jobs of removed links were cancelled (<see cref="PipelineApplyOptions.CancelRemovedLinksJobs"/>).</param>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-apply-result")]
public sealed record PipelineApplyResult(
    [property: Id(0)] PipelineApplyOutcome Outcome,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<PipelineChange> Changes,
    [property: Id(3)] IReadOnlyList<PipelineError> Errors,
    [property: Id(4)] IReadOnlyList<string> SilosBehind,
    [property: Id(5)] int JobsCancelled = 0)
{
    /// <summary>A refusal of a change checked against <paramref name="version"/>.</summary>
    public static PipelineApplyResult Refused(long version, IReadOnlyList<PipelineError> errors) => new(PipelineApplyOutcome.Invalid, version, [], errors, []);
}

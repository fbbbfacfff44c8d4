namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// The pipeline graph as this silo knows it: the newest stored version it has read. Versions only move forward. A
/// change applied anywhere in the cluster reaches every silo within a few seconds; code that meets something the
/// current version does not know (an event for an unknown link, a job of an unknown process) asks for
/// <see cref="RefreshAsync"/> before concluding it was removed.
/// </summary>
public interface IPipelineGraph
{
    /// <summary>The newest version this silo has read.</summary>
    PipelineCatalog Current { get; }

    /// <summary>
    /// Reads the stored graph now (concurrent callers share one read) and returns the newest version. Throws when the
    /// store cannot be read: then nothing may be concluded from the current version's silence.
    /// </summary>
    Task<PipelineCatalog> RefreshAsync(CancellationToken cancellationToken = default);
}

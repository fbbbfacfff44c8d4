namespace Orchestrator.Abstractions.Pipelines;

/// <summary>How a change of the pipeline graph is applied.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-apply-options")]
public sealed record PipelineApplyOptions
{
    /// <summary>Check everything and report the changes, but change nothing.</summary>
    [Id(0)] public bool DryRun { get; init; }

    /// <summary>Remove processes that unfinished jobs still use (those jobs then fail, their attempt abandoned).</summary>
    [Id(1)] public bool Force { get; init; }

    /// <summary>When set, the change is refused unless this is still the current version (optimistic concurrency).</summary>
    [Id(2)] public long? ExpectedVersion { get; init; }

    /// <summary>Cancel the unfinished jobs of the links the change removes (otherwise they finish).</summary>
    [Id(4)] public bool CancelRemovedLinksJobs { get; init; }

    /// <summary>Who asks, as the version's record keeps it (e.g. <c>cli:ada@laptop</c>).</summary>
    [Id(3)] public string By { get; init; } = "api";
}

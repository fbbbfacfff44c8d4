using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// The pipeline graph of the cluster (use key 0): what it runs, and changes to it while silos run. Every change is
/// validated whole, exactly like a pipelines file and against the inputs' databases, and either applied whole (a new
/// stored version, its triggers installed, read by every silo within seconds) or refused with every problem and
/// nothing changed. Changes are applied one at a time.
/// </summary>
public interface IPipelineGrain : IGrainWithIntegerKey
{
    /// <summary>The current version, without connection strings.</summary>
    Task<PipelineSnapshot> GetAsync();

    /// <summary>Every link of the current version.</summary>
    Task<IReadOnlyList<LinkDefinition>> GetLinksAsync();

    /// <summary>Replaces the whole graph with <paramref name="definition"/> (or, with <see cref="PipelineApplyOptions.DryRun"/>, says what that would do).</summary>
    Task<PipelineApplyResult> ApplyAsync(PipelineDefinition definition, PipelineApplyOptions options);

    /// <summary>Adds <paramref name="input"/>, or replaces the input with its id.</summary>
    Task<PipelineApplyResult> PutInputAsync(PostgresInputDefinition input, PipelineApplyOptions options);

    /// <summary>Adds <paramref name="process"/>, or replaces the process with its id.</summary>
    Task<PipelineApplyResult> PutProcessAsync(ContainerProcessDefinition process, PipelineApplyOptions options);

    /// <summary>Adds <paramref name="link"/>, or replaces the link with its id.</summary>
    Task<PipelineApplyResult> PutLinkAsync(LinkDefinition link, PipelineApplyOptions options);

    /// <summary>Removes the input, process or link with <paramref name="id"/>; refused when there is none or when what is left is invalid.</summary>
    Task<PipelineApplyResult> RemoveAsync(PipelineElement element, string id, PipelineApplyOptions options);
}

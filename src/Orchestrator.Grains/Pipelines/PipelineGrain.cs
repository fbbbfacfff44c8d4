using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Pipelines.Postgres;

namespace Orchestrator.Grains.Pipelines;

/// <summary>
/// The cluster's pipeline graph (key 0). Reads answer from the silo's current version; changes go through
/// <see cref="PipelineChanger"/> one at a time (the grain is not reentrant), so two changes never check against the
/// same version and both store.
/// </summary>
public sealed class PipelineGrain(IPipelineGraph graph, PipelineStore store, PipelineChanger changer) : Grain, IPipelineGrain
{
    /// <inheritdoc />
    public async Task<PipelineSnapshot> GetAsync()
    {
        var stored = await store.ReadCurrentAsync();
        return stored is null
            ? new PipelineSnapshot(0, PipelineSnapshot.Redact(graph.Current.Definition), null, null)
            : new PipelineSnapshot(stored.Version, PipelineSnapshot.Redact(stored.Definition), stored.AppliedAt, stored.AppliedBy);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LinkDefinition>> GetLinksAsync() => Task.FromResult(graph.Current.Definition.Links);

    /// <inheritdoc />
    public Task<PipelineApplyResult> ApplyAsync(PipelineDefinition definition, PipelineApplyOptions options) => changer.ApplyAsync(definition, options);

    /// <inheritdoc />
    public Task<PipelineApplyResult> PutInputAsync(PostgresInputDefinition input, PipelineApplyOptions options) =>
        EditAsync(current => PipelineEdits.Put(current, input), options);

    /// <inheritdoc />
    public Task<PipelineApplyResult> PutProcessAsync(ContainerProcessDefinition process, PipelineApplyOptions options) =>
        EditAsync(current => PipelineEdits.Put(current, process), options);

    /// <inheritdoc />
    public Task<PipelineApplyResult> PutLinkAsync(LinkDefinition link, PipelineApplyOptions options) =>
        EditAsync(current => PipelineEdits.Put(current, link), options);

    /// <inheritdoc />
    public async Task<PipelineApplyResult> RemoveAsync(PipelineElement element, string id, PipelineApplyOptions options)
    {
        var current = await graph.RefreshAsync();
        if (PipelineEdits.Remove(current.Definition, element, id) is not { } next)
        {
            var (code, name) = element switch
            {
                PipelineElement.Input => (PipelineErrorCode.UnknownInput, "input"),
                PipelineElement.Process => (PipelineErrorCode.UnknownProcess, "process"),
                _ => (PipelineErrorCode.UnknownLink, "link"),
            };
            return PipelineApplyResult.Refused(current.Version, [new(code, name + "s", $"no {name} has the id '{id}'")]);
        }

        return await changer.ApplyAsync(next, Pinned(options, current));
    }

    // A one-element change is made on the version it was computed from, or not at all.
    private static PipelineApplyOptions Pinned(PipelineApplyOptions options, PipelineCatalog current) =>
        options with { ExpectedVersion = options.ExpectedVersion ?? current.Version };

    private async Task<PipelineApplyResult> EditAsync(Func<PipelineDefinition, PipelineDefinition> edit, PipelineApplyOptions options)
    {
        var current = await graph.RefreshAsync();
        return await changer.ApplyAsync(edit(current.Definition), Pinned(options, current));
    }
}

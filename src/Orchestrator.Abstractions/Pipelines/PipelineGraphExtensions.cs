namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The one way to look something up in the graph without mistaking "not read yet" for "removed".</summary>
public static class PipelineGraphExtensions
{
    /// <summary>
    /// The silo's current version when <paramref name="knows"/> holds for it; otherwise the newest stored version (what
    /// it lacks may have been added a moment ago on another silo). Throws, like <see cref="IPipelineGraph.RefreshAsync"/>,
    /// when the store cannot be read.
    /// </summary>
    public static async Task<PipelineCatalog> KnowingAsync(this IPipelineGraph graph, Func<PipelineCatalog, bool> knows)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(knows);
        var current = graph.Current;
        return knows(current) ? current : await graph.RefreshAsync();
    }
}

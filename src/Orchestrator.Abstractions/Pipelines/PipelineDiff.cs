using System.Text.Json;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>What differs between two pipeline definitions, element by element (inputs, then processes, then links).</summary>
public static class PipelineDiff
{
    /// <summary>
    /// The changes that turn <paramref name="from"/> into <paramref name="to"/>. Elements are compared by their whole
    /// declared content (the file format), so any difference in an element, its connection string included, is a change.
    /// </summary>
    public static IReadOnlyList<PipelineChange> Between(PipelineDefinition from, PipelineDefinition to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return
        [
            .. Compare(PipelineElement.Input, from.Inputs, to.Inputs, i => i.Id),
            .. Compare(PipelineElement.Process, from.Processes, to.Processes, p => p.Id),
            .. Compare(PipelineElement.Link, from.Links, to.Links, l => l.Id),
        ];
    }

    /// <summary>The ids of the elements of kind <paramref name="element"/> that <paramref name="changes"/> touch in the way <paramref name="kind"/>.</summary>
    public static IReadOnlySet<string> Ids(this IEnumerable<PipelineChange> changes, PipelineElement element, PipelineChangeKind kind)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Where(c => c.Element == element && c.Kind == kind).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<PipelineChange> Compare<T>(PipelineElement element, IReadOnlyList<T> from, IReadOnlyList<T> to, Func<T, string> id)
    {
        var before = from.ToDictionary(id, StringComparer.Ordinal);
        var after = to.ToDictionary(id, StringComparer.Ordinal);
        foreach (var (key, value) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(key, out var old))
            {
                yield return new(PipelineChangeKind.Added, element, key);
            }
            else if (!string.Equals(PipelineFile.SerializeElement(old), PipelineFile.SerializeElement(value), StringComparison.Ordinal))
            {
                yield return new(PipelineChangeKind.Changed, element, key);
            }
        }

        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            yield return new(PipelineChangeKind.Removed, element, key);
        }
    }
}

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// One-element changes of a definition, as the grain interface and the API offer them: add or replace by id, remove by
/// id. Each returns a new definition (the order of the others is kept, a new element goes last); the result is
/// validated as a whole like any other, so removing an input that a link still uses is refused, not half done.
/// </summary>
public static class PipelineEdits
{
    /// <summary><paramref name="definition"/> with <paramref name="input"/> added, or replacing the input with its id.</summary>
    public static PipelineDefinition Put(PipelineDefinition definition, PostgresInputDefinition input)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(input);
        return definition with { Inputs = Replace(definition.Inputs, input, i => i.Id) };
    }

    /// <summary><paramref name="definition"/> with <paramref name="process"/> added, or replacing the process with its id.</summary>
    public static PipelineDefinition Put(PipelineDefinition definition, ContainerProcessDefinition process)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(process);
        return definition with { Processes = Replace(definition.Processes, process, p => p.Id) };
    }

    /// <summary><paramref name="definition"/> with <paramref name="link"/> added, or replacing the link with its id.</summary>
    public static PipelineDefinition Put(PipelineDefinition definition, LinkDefinition link)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(link);
        return definition with { Links = Replace(definition.Links, link, l => l.Id) };
    }

    /// <summary>
    /// <paramref name="definition"/> without the element of kind <paramref name="element"/> with id <paramref name="id"/>;
    /// null when there is none.
    /// </summary>
    public static PipelineDefinition? Remove(PipelineDefinition definition, PipelineElement element, string id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return element switch
        {
            PipelineElement.Input when definition.Inputs.Any(i => i.Id == id) => definition with { Inputs = [.. definition.Inputs.Where(i => i.Id != id)] },
            PipelineElement.Process when definition.Processes.Any(p => p.Id == id) => definition with { Processes = [.. definition.Processes.Where(p => p.Id != id)] },
            PipelineElement.Link when definition.Links.Any(l => l.Id == id) => definition with { Links = [.. definition.Links.Where(l => l.Id != id)] },
            _ => null,
        };
    }

    private static List<T> Replace<T>(IReadOnlyList<T> elements, T element, Func<T, string> id)
    {
        var result = elements.ToList();
        var at = result.FindIndex(e => id(e) == id(element));
        if (at < 0)
        {
            result.Add(element);
        }
        else
        {
            result[at] = element;
        }

        return result;
    }
}

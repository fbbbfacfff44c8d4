namespace Orchestrator.Abstractions.Pipelines;

/// <summary>A validated pipeline definition indexed for lookups. Immutable.</summary>
public sealed class PipelineCatalog
{
    private readonly Dictionary<string, PostgresInputDefinition> _inputs;
    private readonly Dictionary<string, ContainerProcessDefinition> _processes;
    private readonly Dictionary<string, LinkDefinition> _links;
    private readonly Dictionary<string, IReadOnlyList<LinkDefinition>> _linksByInput;

    /// <summary>Indexes <paramref name="definition"/>, which must be valid, as version <paramref name="version"/> of the graph.</summary>
    public PipelineCatalog(PipelineDefinition definition, long version = 0)
    {
        PipelineValidator.EnsureValid(definition);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        Definition = definition;
        Version = version;
        _inputs = definition.Inputs.ToDictionary(i => i.Id, StringComparer.Ordinal);
        _processes = definition.Processes.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _links = definition.Links.ToDictionary(l => l.Id, StringComparer.Ordinal);
        _linksByInput = definition.Links
            .GroupBy(l => l.Input, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<LinkDefinition>)g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The definition this catalog indexes.</summary>
    public PipelineDefinition Definition { get; }

    /// <summary>The stored version of the graph this catalog indexes (0: none stored, e.g. an empty graph).</summary>
    public long Version { get; }

    /// <summary>The links that consume <paramref name="inputId"/>'s events.</summary>
    public IReadOnlyList<LinkDefinition> LinksOf(string inputId) =>
        _linksByInput.TryGetValue(inputId, out var links) ? links : [];

    /// <summary>The input with this id, or null.</summary>
    public PostgresInputDefinition? FindInput(string id) => _inputs.GetValueOrDefault(id);

    /// <summary>The process with this id, or null.</summary>
    public ContainerProcessDefinition? FindProcess(string id) => _processes.GetValueOrDefault(id);

    /// <summary>The link with this id, or null.</summary>
    public LinkDefinition? FindLink(string id) => _links.GetValueOrDefault(id);

    /// <summary>The retry policy of the jobs <paramref name="linkId"/> makes on <paramref name="process"/>: the link's, else the process's.</summary>
    public RetryPolicyDefinition RetryPolicyOf(string linkId, ContainerProcessDefinition process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return FindLink(linkId)?.Retry ?? process.Retry;
    }
}

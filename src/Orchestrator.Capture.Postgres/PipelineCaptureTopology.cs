using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The capture topology of the silo's pipeline graph: its inputs' databases (every database any version read so far,
/// in the order first seen), its links by input and the inputs with a per-row link (from the current version).
/// </summary>
public sealed class PipelineCaptureTopology : ICaptureTopology
{
    private readonly IPipelineGraph _graph;
    private readonly InputConnections _connections;
    private readonly Lock _lock = new();
    private volatile IReadOnlyList<CaptureSource> _sources = [];
    private volatile Indexed _indexed = new(-1, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), []);

    /// <summary>Follows <paramref name="graph"/>, its inputs' databases found by <paramref name="connections"/>.</summary>
    public PipelineCaptureTopology(IPipelineGraph graph, InputConnections connections)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(connections);
        _graph = graph;
        _connections = connections;
        Index(graph.Current);
    }

    /// <summary>Follows <paramref name="graph"/>; inputs naming no database use <paramref name="defaultConnectionString"/>.</summary>
    public PipelineCaptureTopology(IPipelineGraph graph, string defaultConnectionString)
        : this(graph, new InputConnections(defaultConnectionString))
    {
    }

    /// <inheritdoc />
    public IReadOnlyList<CaptureSource> Sources
    {
        get
        {
            Current();
            return _sources;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> LinksFor(string inputId) => Current().Links.GetValueOrDefault(inputId) ?? [];

    /// <inheritdoc />
    public IReadOnlyCollection<string> OrderedInputs => Current().OrderedInputs;

    /// <inheritdoc />
    public Task RefreshAsync(CancellationToken cancellationToken) => _graph.RefreshAsync(cancellationToken);

    private Indexed Current()
    {
        var current = _graph.Current;
        var indexed = _indexed;
        return indexed.Version == current.Version ? indexed : Index(current);
    }

    private Indexed Index(PipelineCatalog catalog)
    {
        lock (_lock)
        {
            if (_indexed.Version == catalog.Version)
            {
                return _indexed;
            }

            foreach (var connectionString in catalog.Definition.Inputs.Select(_connections.Of))
            {
                if (_sources.All(s => !string.Equals(s.ConnectionString, connectionString, StringComparison.Ordinal)))
                {
                    _sources = [.. _sources, new CaptureSource(_sources.Count, connectionString)];
                }
            }

            var links = catalog.Definition.Inputs.ToDictionary(
                i => i.Id,
                i => (IReadOnlyList<string>)catalog.LinksOf(i.Id).Select(l => l.Id).ToList(),
                StringComparer.Ordinal);
            var ordered = catalog.Definition.Links.Where(l => l.OrdersRows).Select(l => l.Input).Distinct(StringComparer.Ordinal).ToList();
            return _indexed = new Indexed(catalog.Version, links, ordered);
        }
    }

    private sealed record Indexed(long Version, IReadOnlyDictionary<string, IReadOnlyList<string>> Links, IReadOnlyCollection<string> OrderedInputs);
}

using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>The capture topology of a loaded pipeline definition: its inputs' databases, its links by input.</summary>
public sealed class PipelineCaptureTopology : ICaptureTopology
{
    private readonly Dictionary<string, IReadOnlyList<string>> _links;

    /// <summary>
    /// Builds the sources from the inputs' databases (inputs naming none use <paramref name="defaultConnectionString"/>),
    /// one source per distinct connection string.
    /// </summary>
    public PipelineCaptureTopology(PipelineCatalog catalog, string defaultConnectionString)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(defaultConnectionString);
        Sources = catalog.Definition.Inputs
            .Select(i => i.ConnectionString ?? defaultConnectionString)
            .Distinct(StringComparer.Ordinal)
            .Select((connectionString, index) => new CaptureSource(index, connectionString))
            .ToList();
        _links = catalog.Definition.Inputs.ToDictionary(
            i => i.Id,
            i => (IReadOnlyList<string>)catalog.LinksOf(i.Id).Select(l => l.Id).ToList(),
            StringComparer.Ordinal);
        OrderedInputs = catalog.Definition.Links.Where(l => l.OrdersRows).Select(l => l.Input).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<CaptureSource> Sources { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> OrderedInputs { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LinksFor(string inputId) => _links.GetValueOrDefault(inputId) ?? [];
}

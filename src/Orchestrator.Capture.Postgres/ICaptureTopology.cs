using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>Where the stream provider reads events and which links receive them.</summary>
public interface ICaptureTopology
{
    /// <summary>The distinct databases whose event logs are read.</summary>
    IReadOnlyList<CaptureSource> Sources { get; }

    /// <summary>The ids of the links that consume <paramref name="inputId"/>'s events.</summary>
    IReadOnlyList<string> LinksFor(string inputId);
}

/// <summary>A database with an event log. The connection string is a secret: never logged.</summary>
/// <param name="Index">The source's position in <see cref="ICaptureTopology.Sources"/>, used in logs.</param>
/// <param name="ConnectionString">How to reach it.</param>
public sealed record CaptureSource(int Index, string ConnectionString)
{
    /// <inheritdoc />
    public override string ToString() => $"source {Index}";
}

/// <summary>The topology of a loaded pipeline definition.</summary>
public sealed class PipelineCaptureTopology : ICaptureTopology
{
    private readonly PipelineCatalog _catalog;

    /// <summary>Builds the sources from the inputs' databases (<paramref name="defaultConnectionString"/> for those naming none).</summary>
    public PipelineCaptureTopology(PipelineCatalog catalog, string defaultConnectionString)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        Sources = catalog.Definition.Inputs
            .Select(i => i.ConnectionString ?? defaultConnectionString)
            .Distinct(StringComparer.Ordinal)
            .Select((cs, index) => new CaptureSource(index, cs))
            .ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<CaptureSource> Sources { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LinksFor(string inputId) => _catalog.LinksOf(inputId).Select(l => l.Id).ToList();
}

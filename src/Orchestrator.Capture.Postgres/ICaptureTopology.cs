namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Where the capture stream provider reads events, and which links receive them. The silo's services must hold one;
/// <see cref="PipelineCaptureTopology"/> builds it from a pipeline definition.
/// </summary>
public interface ICaptureTopology
{
    /// <summary>The distinct databases whose event logs are read.</summary>
    IReadOnlyList<CaptureSource> Sources { get; }

    /// <summary>The ids of the links that consume <paramref name="inputId"/>'s events; empty for an unknown input.</summary>
    IReadOnlyList<string> LinksFor(string inputId);

    /// <summary>
    /// The inputs with at least one per-row link: the dequeue hands out an event of theirs only once no earlier event
    /// of its row is left in the log.
    /// </summary>
    IReadOnlyCollection<string> OrderedInputs { get; }
}

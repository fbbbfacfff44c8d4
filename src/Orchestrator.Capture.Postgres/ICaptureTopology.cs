namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Where the capture stream provider reads events, and which links receive them. The silo's services must hold one;
/// <see cref="PipelineCaptureTopology"/> follows the silo's pipeline graph. Both answers may change while the silo runs.
/// </summary>
public interface ICaptureTopology
{
    /// <summary>
    /// The distinct databases whose event logs are read. The list only grows: a source keeps its index for the silo's
    /// life, even after no input reads it any more.
    /// </summary>
    IReadOnlyList<CaptureSource> Sources { get; }

    /// <summary>The ids of the links that consume <paramref name="inputId"/>'s events; empty for an unknown input.</summary>
    IReadOnlyList<string> LinksFor(string inputId);

    /// <summary>Reads the newest graph now: before events are dropped for having no link, the silo makes sure it is not behind.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The inputs with at least one per-row link: the dequeue hands out an event of theirs only once no earlier event
    /// of its row is left in the log.
    /// </summary>
    IReadOnlyCollection<string> OrderedInputs { get; }
}

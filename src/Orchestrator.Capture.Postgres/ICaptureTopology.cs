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
}

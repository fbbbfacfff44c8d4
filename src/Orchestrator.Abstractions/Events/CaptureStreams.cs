namespace Orchestrator.Abstractions.Events;

/// <summary>
/// Names of the Orleans streams that carry captured events. Each input has a stream namespace
/// (<c>input/{inputId}</c>); inside it, the stream keyed by a link id is the one that link's grain consumes:
/// <c>StreamId.Create(NamespaceOf(inputId), linkId)</c>.
/// </summary>
public static class CaptureStreams
{
    /// <summary>The name under which the Postgres stream provider is registered on silos and clients.</summary>
    public const string ProviderName = "postgres-capture";

    /// <summary>The prefix of every input's stream namespace.</summary>
    public const string NamespacePrefix = "input/";

    /// <summary>The stream namespace of an input.</summary>
    public static string NamespaceOf(string inputId) => NamespacePrefix + inputId;
}

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// How the Docker engine keeps a container's own log: which driver, and how large it may grow before the oldest
/// part is dropped. Every container Orchestrator creates carries this explicitly, so a chatty process can never fill
/// the engine's disk through a daemon whose default driver is unbounded (json-file without max-size). A run's
/// stored tails do not depend on it: they are read from the attached output as the container writes. Only an
/// adopted container's tails are read back from what the engine kept.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.container-logs")]
public sealed record ContainerLogsDefinition
{
    /// <summary>Docker's binary, length-prefixed log format; rotated files are compressed.</summary>
    public const string Local = "local";

    /// <summary>Docker's JSON-lines log format, the one <c>docker logs</c> files are usually in.</summary>
    public const string JsonFile = "json-file";

    /// <summary>The drivers a process may name: both keep their files on the engine's host and rotate them.</summary>
    public static readonly IReadOnlySet<string> Drivers = new HashSet<string>(StringComparer.Ordinal) { Local, JsonFile };

    /// <summary>The log configuration of a process that declares none: <c>local</c>, 3 files of 10 MiB.</summary>
    public static readonly ContainerLogsDefinition Default = new();

    /// <summary>The engine's log driver: <see cref="Local"/> or <see cref="JsonFile"/>.</summary>
    [Id(0)] public string Driver { get; init; } = Local;

    /// <summary>How large one log file grows before it is rotated, in MiB (Docker's <c>max-size</c>, unit <c>m</c>).</summary>
    [Id(1)] public int MaxSizeMegabytes { get; init; } = 10;

    /// <summary>
    /// How many files the engine keeps, the current one included (Docker's <c>max-file</c>). At least 2, so that
    /// after a rotation a full file is still behind the current one: an adopted container's tail comes from there.
    /// </summary>
    [Id(2)] public int MaxFiles { get; init; } = 3;
}

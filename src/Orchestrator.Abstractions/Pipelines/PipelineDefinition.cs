using System.Text.Json.Serialization;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>Everything a pipelines file declares: inputs that capture changes, processes that run work, and links between them.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-definition")]
public sealed record PipelineDefinition
{
    /// <summary>The inputs (Postgres tables to watch).</summary>
    [Id(0)] public IReadOnlyList<PostgresInputDefinition> Inputs { get; init; } = [];

    /// <summary>The processes (container images to run).</summary>
    [Id(1)] public IReadOnlyList<ContainerProcessDefinition> Processes { get; init; } = [];

    /// <summary>The links: each runs one process for every event of one input.</summary>
    [Id(2)] public IReadOnlyList<LinkDefinition> Links { get; init; } = [];
}

/// <summary>A Postgres input: the tables of one schema whose changes are captured.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.postgres-input")]
public sealed record PostgresInputDefinition
{
    /// <summary>The input's id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>Always "postgres" for now.</summary>
    [Id(1)] public string Kind { get; init; } = "postgres";

    /// <summary>
    /// Connection string of the database to watch. When absent (and no <see cref="ConnectionStringSecret"/> is named), the
    /// host's own database is used. It is a secret: it is never logged or returned by the API, but it is stored with the
    /// graph; prefer <see cref="ConnectionStringSecret"/>.
    /// </summary>
    [Id(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConnectionString { get; init; }

    /// <summary>The schema of the tables (default "public").</summary>
    [Id(3)] public string Schema { get; init; } = "public";

    /// <summary>The tables to watch; null means every table of the schema.</summary>
    [Id(4)] public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>The operations to capture: insert, update, delete; null means all.</summary>
    [Id(5)] public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>
    /// The name of the secret (<c>Orchestrator:Secrets:NAME</c> on every silo) that holds the connection string of the
    /// database to watch, so the string itself is never in the file or the stored graph. Not with <see cref="ConnectionString"/>.
    /// </summary>
    [Id(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConnectionStringSecret { get; init; }
}

/// <summary>A container process: an image run once per job.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.container-process")]
public sealed record ContainerProcessDefinition
{
    /// <summary>The process's id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>Always "container" for now.</summary>
    [Id(1)] public string Kind { get; init; } = "container";

    /// <summary>The image to run, e.g. "busybox:1.36". Pulled when not present locally.</summary>
    [Id(2)] public string Image { get; init; } = "";

    /// <summary>
    /// The command as an argument vector (never a shell string), its program first. Required unless
    /// <see cref="UseImageCommand"/> is set, and then absent.
    /// </summary>
    [Id(3)] public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Environment variables set in the container.</summary>
    [Id(4)] public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The working directory inside the container; null keeps the image's.</summary>
    [Id(5)] public string? WorkingDirectory { get; init; }

    /// <summary>How many jobs of this process may run at once across the whole cluster.</summary>
    [Id(6)] public int MaxConcurrency { get; init; } = 4;

    /// <summary>Whether containers are removed once their logs are read.</summary>
    [Id(7)] public bool RemoveContainers { get; init; } = true;

    /// <summary>
    /// How long an attempt may run, in seconds; null for no limit. At the limit the container is stopped (SIGTERM,
    /// then SIGKILL after <see cref="StopGraceSeconds"/>) and the attempt is recorded as timed out.
    /// </summary>
    [Id(8)] public double? TimeoutSeconds { get; init; }

    /// <summary>How long a stopped container (timeout or cancellation) may take to exit before it is killed, in seconds.</summary>
    [Id(9)] public double StopGraceSeconds { get; init; } = 10;

    /// <summary>The retry policy of this process's jobs, unless their link declares its own.</summary>
    [Id(10)] public RetryPolicyDefinition Retry { get; init; } = RetryPolicyDefinition.Default;

    /// <summary>
    /// Exit codes (as strings, e.g. "75") mapped to what they mean: <see cref="ExitCodeAction.Success"/>,
    /// <see cref="ExitCodeAction.Retry"/> or <see cref="ExitCodeAction.Discard"/>. 0 means success unless listed;
    /// other unlisted codes follow the retry policy.
    /// </summary>
    [Id(11)] public IReadOnlyDictionary<string, string> ExitCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Runs the image's own command (its ENTRYPOINT and CMD) instead of <see cref="Command"/>: an explicit choice, so
    /// that a command left out or left empty by mistake is refused when the file is read, not at every attempt.
    /// </summary>
    [Id(12)] public bool UseImageCommand { get; init; }

    /// <summary>How the engine keeps the container's own log; see <see cref="ContainerLogsDefinition"/>.</summary>
    [Id(13)] public ContainerLogsDefinition Logs { get; init; } = ContainerLogsDefinition.Default;
}

/// <summary>A link: every event of <see cref="Input"/> becomes a job of <see cref="Process"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.link")]
public sealed record LinkDefinition
{
    /// <summary>The link's id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The input's id.</summary>
    [Id(1)] public required string Input { get; init; }

    /// <summary>The process's id.</summary>
    [Id(2)] public required string Process { get; init; }

    /// <summary>The retry policy of this link's jobs; null uses the process's.</summary>
    [Id(3)] public RetryPolicyDefinition? Retry { get; init; }

    /// <summary>Which of the input's events make jobs; null is every event.</summary>
    [Id(4)] public LinkFilterDefinition? Filter { get; init; }

    /// <summary>
    /// <see cref="LinkOrdering.Parallel"/> (the default: jobs run as slots allow) or <see cref="LinkOrdering.PerRow"/>
    /// (the jobs of one row run one at a time, in the order its changes committed).
    /// </summary>
    [Id(5)] public string Ordering { get; init; } = LinkOrdering.Parallel;

    /// <summary>
    /// With per-row ordering: a change of a row that arrives while the row's previous job still waits is absorbed by
    /// that job, which then runs once with the latest row image and records the ids of the events it absorbed.
    /// </summary>
    [Id(6)] public bool Coalesce { get; init; }

    /// <summary>True when the link runs the jobs of one row in order (<see cref="LinkOrdering.PerRow"/>).</summary>
    [JsonIgnore]
    public bool OrdersRows => string.Equals(Ordering, LinkOrdering.PerRow, StringComparison.Ordinal);
}

/// <summary>
/// Which events of its input a link makes jobs for; every part left out passes everything. An event passes when
/// its table is listed, its operation is listed, for an update one of <see cref="Columns"/> changed, and
/// <see cref="When"/> holds (unknown does not pass). A backfill's read event is filtered as the insert of the row it
/// read. The events a link filters out make no job and are counted per link.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.link-filter")]
public sealed record LinkFilterDefinition
{
    /// <summary>Only these tables of the input; null is all of them.</summary>
    [Id(0)] public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>Only these operations (insert, update, delete); null is all.</summary>
    [Id(1)] public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>An update passes only when one of these columns changed (old and new compared with IS DISTINCT FROM); null is any update.</summary>
    [Id(2)] public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>A condition on the change in the filter language (see the README), e.g. <c>new.status == 'paid' and old.status != 'paid'</c>.</summary>
    [Id(3)] public string? When { get; init; }
}

/// <summary>The values of <see cref="LinkDefinition.Ordering"/>.</summary>
public static class LinkOrdering
{
    /// <summary>Jobs run as their process's slots allow, in any order.</summary>
    public const string Parallel = "parallel";

    /// <summary>The jobs of one row (table and primary key) run one at a time, in commit order; rows run in parallel.</summary>
    public const string PerRow = "per-row";
}

using Orchestrator.Abstractions.Secrets;
using Orchestrator.Host.Security;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Pipelines.Postgres;

namespace Orchestrator.Host.Configuration;

/// <summary>
/// The host's settings, from the "Orchestrator" section of the configuration (appsettings.json, environment
/// variables such as <c>Orchestrator__PipelinesFile</c>, or the command line <c>--Orchestrator:PipelinesFile=…</c>).
/// </summary>
public sealed class OrchestratorHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Orchestrator";

    /// <summary>
    /// The Postgres database that holds the cluster's membership, job records and reminders, and the default
    /// database of inputs that name none. Also read from <c>ConnectionStrings:Orchestrator</c>. A secret.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The pipelines file (JSON) the graph starts from. Optional once a graph is stored: it is applied at start only when
    /// it changed since a host last started with it (see <see cref="PipelinesFileMode"/>), so a restart keeps the changes
    /// made through the API. Without a file and with nothing stored, the silo runs an empty graph.
    /// </summary>
    public string? PipelinesFile { get; set; }

    /// <summary>When the pipelines file is applied: <c>WhenChanged</c> (default) or <c>Always</c> (every start, undoing API changes).</summary>
    public PipelinesFileMode PipelinesFileMode { get; set; } = PipelinesFileMode.WhenChanged;

    /// <summary>The Orleans cluster id: silos with the same id and database form one cluster.</summary>
    public string ClusterId { get; set; } = "orchestrator";

    /// <summary>The Orleans service id: keys the persisted grain state and reminders; keep it stable.</summary>
    public string ServiceId { get; set; } = "orchestrator";

    /// <summary>The silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (the CLI) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo on; loopback unless you run a cluster.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How many queues the event log is split into; every silo of a cluster must agree.</summary>
    public int CaptureQueueCount { get; set; } = 8;

    /// <summary>How many existing rows a backfill copies per page (one transaction), unless its request says.</summary>
    public int BackfillPageSize { get; set; } = 500;

    /// <summary>A backfill waits while this many read events of its input are still waiting in the event log.</summary>
    public int BackfillMaxPendingEvents { get; set; } = 10_000;

    /// <summary>
    /// How often the rescuer looks for unfinished jobs nobody carries on, and how long a job's record may stay
    /// unchanged before it is resumed anyway. Jobs of a silo that left the cluster are resumed once it is declared dead.
    /// </summary>
    public TimeSpan JobRescuePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a batch of job record writes waits for more writes to join it once it could go (0: it goes at once;
    /// writes that arrive while earlier batches are in flight are batched either way).
    /// </summary>
    public TimeSpan JobStoreBatchWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long finished job records are kept, per status (<c>Orchestrator:Retention:SucceededAge</c>, <c>FailedAge</c>,
    /// <c>DiscardedAge</c>; 0 keeps a status for ever), and the <c>Interval</c> and <c>BatchSize</c> of the sweeps.
    /// </summary>
    public JobRetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// The named secrets pipeline definitions refer to (<c>Orchestrator:Secrets:NAME</c>); their values are never logged,
    /// stored in the graph or returned by the API.
    /// </summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Who may use the HTTP API and the dashboard (<c>Orchestrator:Access:ApiKeyHashes</c>, <c>AllowAnonymous</c>).</summary>
    public AccessOptions Access { get; set; } = new();

    /// <summary>Reads the options and fails with a clear message when a required one is missing.</summary>
    public static OrchestratorHostOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<OrchestratorHostOptions>() ?? new OrchestratorHostOptions();
        options.ConnectionString ??= configuration.GetConnectionString("Orchestrator");
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("missing Orchestrator:ConnectionString (or ConnectionStrings:Orchestrator)");
        }

        if (options.JobRescuePeriod < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Orchestrator:JobRescuePeriod is {options.JobRescuePeriod}; use at least 00:00:01");
        }

        if (configuration.GetSection(Section)["JobReminderPeriod"] is not null)
        {
            problems.Add("Orchestrator:JobReminderPeriod is no longer read (jobs hold no reminders now); set Orchestrator:JobRescuePeriod instead");
        }

        problems.AddRange(options.Access.ApiKeyHashes.Select((h, i) => ApiKeys.HashProblem(h) is { } problem ? $"{Section}:Access:ApiKeyHashes:{i}: {problem}" : null).OfType<string>());
        problems.AddRange(JobRetentionOptionsValidator.Problems(options.Retention).Select(p => $"{Section}:Retention:{p}"));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join("; ", problems) + ".");
        }

        return options;
    }
}

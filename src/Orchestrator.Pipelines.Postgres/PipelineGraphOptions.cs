namespace Orchestrator.Pipelines.Postgres;

/// <summary>Options of a silo's view of the stored pipeline graph.</summary>
public sealed class PipelineGraphOptions
{
    /// <summary>The database holding the graph (the cluster's own). A secret: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The service whose graph this is (the host's <c>Orchestrator:ServiceId</c>, which its start-up stored the graph under).</summary>
    public string? ServiceId { get; set; }

    /// <summary>How often the silo looks for a newer version without being told (a missed notification's bound).</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromSeconds(5);
}

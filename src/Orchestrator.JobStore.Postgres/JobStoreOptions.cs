namespace Orchestrator.JobStore.Postgres;

/// <summary>Options of the job record store (<see cref="PostgresJobGrainStorage"/>).</summary>
public sealed class JobStoreOptions
{
    /// <summary>The database that holds <c>orchestrator.jobs</c>. A secret: never logged.</summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a batch waits, after its first write arrived, for more writes to join it. Zero sends what has
    /// arrived at once; writes that arrive while earlier batches are in flight join the next batch either way.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.Zero;

    /// <summary>The most writes (or reads) one round trip carries.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>The most record bytes one write round trip carries (a large event fills a batch sooner).</summary>
    public int MaxBatchBytes { get; set; } = 8 << 20;

    /// <summary>How many batches of each kind (reads, writes) may be in flight at once.</summary>
    public int MaxBatchesInFlight { get; set; } = 2;
}

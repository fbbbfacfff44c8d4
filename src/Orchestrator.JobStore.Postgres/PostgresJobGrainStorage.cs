using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Jobs;
using Orleans.Storage;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// The job grain's storage: its <see cref="JobState"/> as a row of <c>orchestrator.jobs</c> (indexed columns plus
/// the whole record as a document). The ETag is the row's version, with ADO.NET grain storage's contract: a
/// write that names a version the row no longer has, or a first write of a row that exists, fails with
/// <see cref="InconsistentStateException"/>. Reads and writes from all activations of the silo are group
/// committed: those that arrive together share one statement, and each caller learns its own outcome.
/// </summary>
public sealed partial class PostgresJobGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly JobStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly JobRecordStore _store;
    private readonly LegacyJobMigration _migration;
    private readonly ILogger<PostgresJobGrainStorage> _logger;
    private readonly GroupCommit<string, StoredJob?> _reads;
    private readonly GroupCommit<JobWrite, WriteOutcome> _writes;

    /// <summary>
    /// Creates the storage named <paramref name="name"/> for the records of the Orleans service <paramref name="serviceId"/>
    /// (rows are keyed by it, so deployments can share a database) over <paramref name="dataSource"/> (which its owner disposes);
    /// each write names <paramref name="silo"/>, the address of the silo writing it.
    /// </summary>
    public PostgresJobGrainStorage(string name, string serviceId, string silo, JobStoreOptions options, NpgsqlDataSource dataSource, LegacyJobMigration migration, ILogger<PostgresJobGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migration);
        _name = name;
        _serviceId = serviceId;
        _options = options;
        _migration = migration;
        _logger = logger;
        _dataSource = dataSource;
        _store = new JobRecordStore(_dataSource, serviceId, silo);
        _reads = new GroupCommit<string, StoredJob?>(_store.ReadAsync, _ => 1, Limits(long.MaxValue));
        _writes = new GroupCommit<JobWrite, WriteOutcome>(WriteAsync, w => w.Row.Record.Length, Limits(options.MaxBatchBytes));
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var jobId = JobIdOf(grainId);
        if (await _reads.SubmitAsync(jobId) is { } stored)
        {
            grainState.State = (T)(object)JobDocument.Deserialize(stored.Document);
            grainState.ETag = Etag(stored.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (grainState.State is not JobState job)
        {
            throw new NotSupportedException($"The job store '{_name}' holds job records only, not {typeof(T).Name}.");
        }

        var jobId = JobIdOf(grainId);
        var expected = grainState.ETag is { } etag ? int.Parse(etag, CultureInfo.InvariantCulture) : (int?)null;
        var outcome = await _writes.SubmitAsync(new JobWrite(JobRow.Of(jobId, job), expected));
        if (outcome.Error is { } error)
        {
            LogWriteFailed(_logger, error, jobId);
            throw error;
        }

        if (outcome.Version is not { } version)
        {
            throw Conflict(jobId, grainState.ETag, "WriteState");
        }

        grainState.ETag = Etag(version);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var jobId = JobIdOf(grainId);
        if (grainState.ETag is { } etag && !await _store.DeleteAsync(jobId, int.Parse(etag, CultureInfo.InvariantCulture)))
        {
            throw Conflict(jobId, etag, "ClearState");
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(PostgresJobGrainStorage)}-{_name}", ServiceLifecycleStage.RuntimeStorageServices, StartAsync, _ => Task.CompletedTask);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        await _reads.DisposeAsync();
    }

    private Task StartAsync(CancellationToken cancellationToken) => _migration.RunAsync(_dataSource, _serviceId, cancellationToken);

    /// <summary>
    /// Writes a batch in one statement. When the statement fails on its data (a value Postgres refuses), nothing
    /// of it was written: each write is then tried alone, so only the bad one fails, with its own error.
    /// </summary>
    private async Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<JobWrite> writes)
    {
        try
        {
            return (await _store.WriteAsync(writes)).Select(v => new WriteOutcome(v, null)).ToList();
        }
        catch (PostgresException e) when (writes.Count > 1 && IsDataError(e))
        {
            LogBatchSplit(_logger, e, writes.Count);
        }

        var outcomes = new List<WriteOutcome>(writes.Count);
        foreach (var write in writes)
        {
            try
            {
                outcomes.Add(new WriteOutcome((await _store.WriteAsync([write]))[0], null));
            }
            catch (PostgresException e) when (IsDataError(e))
            {
                outcomes.Add(new WriteOutcome(null, e));
            }
        }

        return outcomes;
    }

    /// <summary>Errors of the values themselves (classes 22 data, 23 integrity, 54 limits): nothing was committed.</summary>
    private static bool IsDataError(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal)
        || e.SqlState.StartsWith("23", StringComparison.Ordinal)
        || e.SqlState.StartsWith("54", StringComparison.Ordinal);

    private BatchLimits Limits(long maxWeight) => new(_options.MaxBatchSize, maxWeight, _options.BatchWindow, _options.MaxBatchesInFlight);

    private static string JobIdOf(GrainId grainId) => grainId.Key.ToString();

    private static string Etag(int version) => version.ToString(CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string jobId, string? etag, string operation) =>
        new($"Version conflict ({operation}): the job record '{jobId}' in store '{_name}' is no longer at version {etag ?? "(none)"}.", etag ?? "", "unknown");

    [LoggerMessage(1, LogLevel.Warning, "A batch of {Count} job record writes was refused for a value in it; writing each alone")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int count);

    [LoggerMessage(2, LogLevel.Error, "The job record '{JobId}' could not be written")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string jobId);
}

/// <summary>A write's outcome: its new version, null for a version conflict; or the error that refused it.</summary>
internal sealed record WriteOutcome(int? Version, Exception? Error);

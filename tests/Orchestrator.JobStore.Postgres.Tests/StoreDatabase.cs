using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;
using Orleans.Storage;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>A fresh database with the job table, and a job store over it.</summary>
internal sealed class StoreDatabase : IAsyncDisposable
{
    private readonly List<PostgresJobGrainStorage> _storages = [];
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private StoreDatabase(PostgresDatabase database) => Database = database;

    public PostgresDatabase Database { get; }

    public static async Task<StoreDatabase> CreateAsync(string name)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        await JobStoreSchema.InstallAsync(database.DataSource);
        return new StoreDatabase(database);
    }

    /// <summary>
    /// A grain storage over the table, writing as the silo <paramref name="silo"/>; <paramref name="configure"/> may
    /// change its batching.
    /// </summary>
    public PostgresJobGrainStorage Storage(Action<JobStoreOptions>? configure = null, string applicationName = "job-store-test", ILogger<PostgresJobGrainStorage>? logger = null, string silo = "test-silo")
    {
        var options = new JobStoreOptions
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { ApplicationName = applicationName }.ConnectionString,
        };
        configure?.Invoke(options);
        var dataSource = JobStoreDataSource.Create(options.ConnectionString);
        _dataSources.Add(dataSource);
        var storage = new PostgresJobGrainStorage(
            "jobs",
            "orchestrator",
            silo,
            options,
            dataSource,
            new LegacyJobMigration(new UnusedSerializer(), NullLogger<LegacyJobMigration>.Instance),
            logger ?? NullLogger<PostgresJobGrainStorage>.Instance);
        _storages.Add(storage);
        return storage;
    }

    /// <summary>Writes <paramref name="job"/> as a new record and returns its state as the grain would hold it.</summary>
    public static async Task<GrainState<JobState>> WriteNewAsync(IGrainStorage storage, JobState job)
    {
        var state = new GrainState<JobState> { State = job };
        await storage.WriteStateAsync("job", GrainIdOf(job.JobId), state);
        return state;
    }

    public static GrainId GrainIdOf(string jobId) => GrainId.Create("jobgrain", jobId);

    public async ValueTask DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }

        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    private sealed class UnusedSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new NotSupportedException();

        public T Deserialize<T>(BinaryData input) => throw new NotSupportedException();
    }
}

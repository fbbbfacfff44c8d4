using Orchestrator.Persistence.Postgres.Tests.Grains;
using Orchestrator.Testing;
using Orleans.TestingHost;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>
/// One in-process silo whose grain storage ("store") and reminders are ours, on a fresh database with the schema
/// installed. Shared by the test classes of <see cref="StorageClusterGroup"/>; each test uses its own grain keys.
/// </summary>
public sealed class StorageCluster : IAsyncLifetime
{
    /// <summary>A second grain storage, whose clear deletes the row (it needs the optional DeleteStorageKey).</summary>
    public const string DeletingStorageName = "store-deleting";

    private PostgresDatabase? _database;
    private InProcessTestCluster? _cluster;

    /// <summary>The database the silo stores into.</summary>
    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The test cluster.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The silo's services.</summary>
    public IServiceProvider Silo => Cluster.GetSiloServiceProvider();

    /// <summary>The cluster's client.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(nameof(StorageCluster));
        await OrleansPostgresSchema.InstallAsync(_database.DataSource);
        var builder = new InProcessTestClusterBuilder(1);
        var connectionString = _database.ConnectionString;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPostgresGrainStorage(ListGrain.StorageName, connectionString);
            silo.AddPostgresGrainStorage(DeletingStorageName, connectionString, o => o.DeleteStateOnClear = true);
            silo.UsePostgresReminders(connectionString);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>A key no other test uses; it starts with a letter that is not a hex digit (dotnet/orleans#9706).</summary>
    public static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}

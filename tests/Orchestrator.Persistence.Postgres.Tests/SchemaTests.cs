using Npgsql;
using Orchestrator.Testing;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Installing the schema: idempotent, serialised, complete for the three providers.</summary>
public sealed class SchemaTests : IAsyncLifetime
{
    // The keys each Orleans 10.4.2 provider reads at start-up (strings in its DLL); the optional ones are listed apart.
    private static readonly string[] ClusteringKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    private static readonly string[] PersistenceKeys = ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey"];

    private static readonly string[] ReminderKeys =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static readonly string[] OptionalKeys = ["CleanupDefunctSiloEntryKey", "DeleteStorageKey"];

    private PostgresDatabase? _database;

    private PostgresDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync(nameof(SchemaTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Installing_again_changes_nothing_in_the_catalog()
    {
        await OrleansPostgresSchema.InstallAsync(Database.DataSource);
        var first = await SnapshotAsync();

        await OrleansPostgresSchema.InstallAsync(Database.DataSource);
        var second = await SnapshotAsync();

        Assert.Equal(first, second);
        Assert.Contains(first, line => line.StartsWith("index orleansstorage_identity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Installs_started_together_all_succeed()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OrleansPostgresSchema.InstallAsync(Database.DataSource)));

        Assert.Equal(5L, await Database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'orleans'"));
    }

    [Fact]
    public async Task The_catalog_has_every_query_key_the_providers_read_and_nothing_lands_in_public()
    {
        await OrleansPostgresSchema.InstallAsync(Database.DataSource);

        var keys = new List<string>();
        await using (var command = Database.DataSource.CreateCommand("SELECT querykey FROM orleans.orleansquery"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Empty(ClusteringKeys.Except(keys));
        Assert.Empty(PersistenceKeys.Except(keys));
        Assert.Empty(ReminderKeys.Except(keys));
        Assert.Empty(OptionalKeys.Except(keys));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
    }

    [Fact]
    public void Provider_connections_use_the_orleans_schema_and_skip_the_pool_reset()
    {
        var builder = new NpgsqlConnectionStringBuilder(OrleansPostgresSchema.ConnectionStringFor("Host=db;Database=app;Search Path=public"));

        Assert.Equal((OrleansPostgresSchema.SchemaName, true, "db"), (builder.SearchPath, builder.NoResetOnClose, builder.Host));
    }

    [Fact]
    public async Task A_pooled_provider_connection_comes_back_without_the_previous_transaction()
    {
        await OrleansPostgresSchema.InstallAsync(Database.DataSource);
        var connectionString = OrleansPostgresSchema.ConnectionStringFor(Database.ConnectionString);
        int firstPid;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            firstPid = connection.ProcessID;
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO orleansquery (querykey, querytext) VALUES ('UncommittedKey', 'SELECT 1')", connection, transaction);
            await insert.ExecuteNonQueryAsync();
        }

        await using var reused = new NpgsqlConnection(connectionString);
        await reused.OpenAsync();
        await using var probe = new NpgsqlCommand(
            "SELECT current_schema() || ' ' || (SELECT count(*) FROM orleansquery WHERE querykey = 'UncommittedKey')", reused);
        var seen = (string?)await probe.ExecuteScalarAsync();

        Assert.Equal(firstPid, reused.ProcessID);
        Assert.Equal("orleans 0", seen);
    }

    private async Task<List<string>> SnapshotAsync()
    {
        const string catalog = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema = 'orleans'
            UNION ALL
            SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'orleans'
            UNION ALL
            SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'orleans'::regnamespace
            UNION ALL
            SELECT 'function ' || p.oid::text || ' ' || proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(prosrc)
              FROM pg_proc p WHERE pronamespace = 'orleans'::regnamespace
            UNION ALL
            SELECT 'query ' || querykey || ' ' || md5(querytext) || ' xmin ' || xmin::text FROM orleans.orleansquery
            ORDER BY 1
            """;
        var lines = new List<string>();
        await using var command = Database.DataSource.CreateCommand(catalog);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}

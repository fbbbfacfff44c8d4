using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Persistence.Postgres;
using Orchestrator.Testing;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Our schema under Orleans' own ADO.NET providers, in a real silo on a real Postgres.</summary>
public sealed class SchemaTests : IAsyncLifetime
{
    private static readonly string[] RequiredKeys =
    [
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "CleanupDefunctSiloEntriesKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private PostgresDatabase? _database;
    private InProcessTestCluster? _cluster;

    private PostgresDatabase Database => _database!;

    private IServiceProvider Silo => _cluster!.GetSiloServiceProvider();

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(nameof(SchemaTests));
        await OrleansPostgresSchema.InstallAsync(_database.DataSource);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPostgresGrainStorage("store", _database.ConnectionString);
            silo.UsePostgresReminders(_database.ConnectionString);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

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

    [Fact]
    public async Task Installing_again_keeps_one_catalog_with_every_key_the_providers_need()
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

        Assert.Empty(RequiredKeys.Except(keys));
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Grain_state_round_trips_and_a_stale_etag_is_a_conflict()
    {
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>("store");
        var id = GrainId.Create("test", "job:l:" + Guid.NewGuid().ToString("N"));
        var first = new GrainState<List<string>> { State = ["a"] };
        await storage.WriteStateAsync("s", id, first);
        var stale = new GrainState<List<string>> { State = ["stale"], ETag = first.ETag };
        first.State.Add("b");
        await storage.WriteStateAsync("s", id, first);

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("s", id, read);
        var otherName = new GrainState<List<string>>();
        await storage.ReadStateAsync("other", id, otherName);

        Assert.Equal(["a", "b"], read.State);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
        Assert.False(otherName.RecordExists);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, new GrainState<List<string>> { State = ["second first write"] }));
    }

    [Fact]
    public async Task Reminders_are_stored_read_by_grain_and_hash_range_and_removed_by_etag()
    {
        var table = Silo.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("test", "job:r:" + Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var etag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "retry", StartAt = start, Period = TimeSpan.FromMinutes(2) });
        var newer = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "retry", StartAt = start, Period = TimeSpan.FromMinutes(3) });

        var row = await table.ReadRow(grain, "retry") ?? throw new InvalidOperationException("the reminder was not stored");
        var all = await table.ReadRows(0, uint.MaxValue);

        Assert.NotEqual(etag, newer);
        Assert.Equal((TimeSpan.FromMinutes(3), start, newer), (row.Period, row.StartAt.ToUniversalTime(), row.ETag));
        Assert.Contains(all.Reminders, r => r.GrainId == grain);
        Assert.False(await table.RemoveRow(grain, "retry", etag!));
        Assert.True(await table.RemoveRow(grain, "retry", newer!));
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }
}

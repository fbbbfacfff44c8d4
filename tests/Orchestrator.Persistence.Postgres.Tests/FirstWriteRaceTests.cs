using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Persistence.Postgres.Tests.Grains;
using Orchestrator.Testing;
using Orleans.Storage;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Two first writes of one grain state racing: the unique row identity lets only one of them in.</summary>
[Collection(StorageClusterGroup.Name)]
public sealed class FirstWriteRaceTests(StorageCluster cluster)
{
    private const string Identity =
        "grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid";

    [Fact]
    public async Task A_first_write_racing_an_uncommitted_first_write_waits_and_then_conflicts()
    {
        var storage = cluster.Silo.GetRequiredKeyedService<IGrainStorage>(ListGrain.StorageName);
        var key = StorageCluster.NewKey("race");
        var id = GrainId.Create("test", key);
        var identity = await TakeRowIdentityAsync(storage, id, key);

        // The other writer's first insert, held uncommitted while ours runs.
        await using var other = await cluster.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO orleans.orleansstorage ({Identity}, payloadbinary, modifiedon, version) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, now(), 1)",
            other, transaction))
        {
            foreach (var value in identity)
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await insert.ExecuteNonQueryAsync();
        }

        var ours = storage.WriteStateAsync("s", id, new GrainState<ListState> { State = new ListState { Items = ["ours"] } });
        await Eventually.UntilAsync(
            async () => await cluster.Database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
            "our first write to wait for the uncommitted one");
        await transaction.CommitAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(() => ours);
        Assert.Equal(1L, await cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.orleansstorage WHERE grainidextensionstring = $1", key));
    }

    // Writes once through the provider to learn the identity columns Orleans computes, then deletes the row.
    private async Task<object[]> TakeRowIdentityAsync(IGrainStorage storage, GrainId id, string key)
    {
        await storage.WriteStateAsync("s", id, new GrainState<ListState> { State = new ListState() });
        await using var command = cluster.Database.DataSource.CreateCommand(
            $"DELETE FROM orleans.orleansstorage WHERE grainidextensionstring = $1 RETURNING {Identity}");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var values = new object[reader.FieldCount];
        reader.GetValues(values);
        return values;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Persistence.Postgres.Tests.Grains;
using Orleans.Storage;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Grains persisting through our schema with Orleans' own ADO.NET grain storage.</summary>
[Collection(StorageClusterGroup.Name)]
public sealed class GrainStateTests(StorageCluster cluster)
{
    [Fact]
    public async Task State_written_by_a_grain_is_read_back_after_reactivation()
    {
        var grain = cluster.Client.GetGrain<INoteGrain>(StorageCluster.NewKey("note"));
        await grain.AddAsync("first");
        await grain.AddAsync("second");
        var before = await grain.ReadAsync();

        await cluster.Cluster.DeactivateAsync(grain);
        var after = await grain.ReadAsync();

        Assert.NotEqual(before.Activation, after.Activation);
        Assert.Equal(["first", "second"], after.Items);
        Assert.Equal("2", after.ETag);
    }

    [Fact]
    public async Task A_write_after_the_row_changed_underneath_raises_InconsistentStateException()
    {
        var key = StorageCluster.NewKey("note");
        var grain = cluster.Client.GetGrain<INoteGrain>(key);
        await grain.AddAsync("kept");
        var bumped = await cluster.Database.ExecuteAsync(
            "UPDATE orleans.orleansstorage SET version = version + 1 WHERE graintypestring = $1 AND grainidextensionstring = $2",
            "notes", key);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.AddAsync("lost"));
        var reread = await grain.ReadAsync();

        Assert.Equal(1, bumped);
        Assert.Equal(["kept"], reread.Items);
        Assert.Equal("2", reread.ETag);
    }

    [Fact]
    public async Task Two_grain_types_with_one_key_keep_separate_rows_under_distinct_state_names()
    {
        var key = StorageCluster.NewKey("shared");
        await cluster.Client.GetGrain<INoteGrain>(key).AddAsync("a note");
        await cluster.Client.GetGrain<ITagGrain>(key).AddAsync("a tag");

        await cluster.Cluster.DeactivateAsync(cluster.Client.GetGrain<INoteGrain>(key));
        await cluster.Cluster.DeactivateAsync(cluster.Client.GetGrain<ITagGrain>(key));
        var notes = await cluster.Client.GetGrain<INoteGrain>(key).ReadAsync();
        var tags = await cluster.Client.GetGrain<ITagGrain>(key).ReadAsync();
        var rows = await cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.orleansstorage WHERE grainidextensionstring = $1", key);

        Assert.Equal(["a note"], notes.Items);
        Assert.Equal(["a tag"], tags.Items);
        Assert.Equal(2L, rows);
    }

    [Fact]
    public async Task A_stale_etag_and_a_second_first_write_are_version_conflicts()
    {
        var storage = cluster.Silo.GetRequiredKeyedService<IGrainStorage>(ListGrain.StorageName);
        var id = GrainId.Create("test", StorageCluster.NewKey("direct"));
        var current = new GrainState<ListState> { State = new ListState { Items = ["a"] } };
        await storage.WriteStateAsync("s", id, current);
        var stale = new GrainState<ListState> { State = new ListState { Items = ["stale"] }, ETag = current.ETag };
        current.State.Items.Add("b");
        await storage.WriteStateAsync("s", id, current);

        var read = new GrainState<ListState>();
        await storage.ReadStateAsync("s", id, read);

        Assert.Equal(["a", "b"], read.State!.Items);
        Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("s", id, new GrainState<ListState> { State = new ListState() }));
    }

    [Fact]
    public async Task Clearing_keeps_the_row_with_no_payload_and_a_new_version()
    {
        var storage = cluster.Silo.GetRequiredKeyedService<IGrainStorage>(ListGrain.StorageName);
        var id = GrainId.Create("test", StorageCluster.NewKey("clear"));
        var state = new GrainState<ListState> { State = new ListState { Items = ["gone"] } };
        await storage.WriteStateAsync("s", id, state);

        await storage.ClearStateAsync("s", id, state);
        var read = new GrainState<ListState>();
        await storage.ReadStateAsync("s", id, read);
        var stale = new GrainState<ListState> { State = new ListState(), ETag = "1" };

        Assert.Equal(("2", false), (state.ETag, state.RecordExists));
        Assert.Equal(("2", false), (read.ETag, read.RecordExists));
        Assert.Empty(read.State!.Items);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", id, stale));
    }

    [Fact]
    public async Task Clearing_with_delete_on_clear_removes_the_row_and_a_new_first_write_succeeds()
    {
        var storage = cluster.Silo.GetRequiredKeyedService<IGrainStorage>(StorageCluster.DeletingStorageName);
        var key = StorageCluster.NewKey("delete");
        var id = GrainId.Create("test", key);
        var state = new GrainState<ListState> { State = new ListState { Items = ["gone"] } };
        await storage.WriteStateAsync("s", id, state);

        await storage.ClearStateAsync("s", id, state);
        var rowsAfterClear = await cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.orleansstorage WHERE grainidextensionstring = $1", key);
        var again = new GrainState<ListState> { State = new ListState { Items = ["back"] } };
        await storage.WriteStateAsync("s", id, again);

        Assert.Equal((null, false), (state.ETag, state.RecordExists));
        Assert.Equal(0L, rowsAfterClear);
        Assert.Equal("1", again.ETag);
    }
}

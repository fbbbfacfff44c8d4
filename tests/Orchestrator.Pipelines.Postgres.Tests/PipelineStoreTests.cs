using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Pipelines.Postgres.Tests;

public sealed class PipelineStoreTests
{
    private static readonly PipelineDefinition One = new()
    {
        Processes = [new ContainerProcessDefinition { Id = "echo", Image = "busybox:1", Command = ["true"] }],
    };

    [Fact]
    public async Task A_version_is_stored_only_on_top_of_the_version_it_was_checked_against()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_version_is_stored_only_on_top_of_the_version_it_was_checked_against));
        var store = new PipelineStore(database.DataSource, "svc");
        await store.InstallAsync();

        var first = await store.AppendAsync(One, 0, "test", null);
        var stale = await store.AppendAsync(new PipelineDefinition(), 0, "test", null);
        var second = await store.AppendAsync(new PipelineDefinition(), 1, "test", null);

        Assert.Equal(1, first);
        Assert.Null(stale);
        Assert.Equal(2, second);
        var current = await store.ReadCurrentAsync();
        Assert.Equal(2, current!.Version);
        Assert.Empty(current.Definition.Processes);
        Assert.Equal(2, await store.CurrentVersionAsync());
    }

    [Fact]
    public async Task Services_sharing_a_database_have_their_own_graphs()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Services_sharing_a_database_have_their_own_graphs));
        var mine = new PipelineStore(database.DataSource, "mine");
        var theirs = new PipelineStore(database.DataSource, "theirs");
        await mine.InstallAsync();
        await theirs.InstallAsync();

        await mine.AppendAsync(One, 0, "test", null);

        Assert.Equal(1, await mine.CurrentVersionAsync());
        Assert.Equal(0, await theirs.CurrentVersionAsync());
        Assert.Null(await theirs.ReadCurrentAsync());
    }

    [Fact]
    public async Task A_silo_report_never_moves_back()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_silo_report_never_moves_back));
        var store = new PipelineStore(database.DataSource, "svc");
        await store.InstallAsync();

        await store.ReportAsync("silo-a", 3);
        await store.ReportAsync("silo-a", 2);
        await store.ReportAsync("silo-b", 1);

        var versions = await store.SiloVersionsAsync();
        Assert.Equal(3, versions["silo-a"]);
        Assert.Equal(1, versions["silo-b"]);
    }

    [Fact]
    public async Task Installing_twice_keeps_what_is_stored()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Installing_twice_keeps_what_is_stored));
        var store = new PipelineStore(database.DataSource, "svc");
        await store.InstallAsync();
        await store.AppendAsync(One, 0, "test", null);

        await store.InstallAsync();

        Assert.Equal(1, await store.CurrentVersionAsync());
    }
}

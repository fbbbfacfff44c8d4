using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Pipelines.Postgres.Tests;

public sealed class PipelinesFileReconcilerTests
{
    private static readonly PipelineDefinition File = new()
    {
        Processes = [new ContainerProcessDefinition { Id = "echo", Image = "busybox:1", Command = ["true"] }],
    };

    private static readonly PipelineDefinition ChangedByApi = PipelineEdits.Put(File, new ContainerProcessDefinition { Id = "print", Image = "busybox:1", Command = ["true"] });

    [Fact]
    public async Task The_first_start_stores_the_file_as_version_1()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(The_first_start_stores_the_file_as_version_1));

        var catalog = await fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.WhenChanged);

        Assert.Equal(1, catalog.Version);
        Assert.Equal("file:p.json", (await fixture.Store.ReadCurrentAsync())!.AppliedBy);
    }

    [Fact]
    public async Task A_restart_with_the_same_file_keeps_the_changes_made_through_the_api()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(A_restart_with_the_same_file_keeps_the_changes_made_through_the_api));
        await fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.WhenChanged);
        await fixture.Store.AppendAsync(ChangedByApi, 1, "api", null);

        var catalog = await fixture.Reconciler.ReconcileAsync(PipelineFile.Parse(PipelineFile.Serialize(File)), "p.json", PipelinesFileMode.WhenChanged);

        Assert.Equal(2, catalog.Version);
        Assert.Equal(["echo", "print"], catalog.Definition.Processes.Select(p => p.Id));
    }

    [Fact]
    public async Task A_changed_file_is_applied_over_the_api_changes()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(A_changed_file_is_applied_over_the_api_changes));
        await fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.WhenChanged);
        await fixture.Store.AppendAsync(ChangedByApi, 1, "api", null);
        var edited = File with { Processes = [File.Processes[0] with { MaxConcurrency = 9 }] };

        var catalog = await fixture.Reconciler.ReconcileAsync(edited, "p.json", PipelinesFileMode.WhenChanged);

        Assert.Equal(3, catalog.Version);
        Assert.Equal(9, Assert.Single(catalog.Definition.Processes).MaxConcurrency);
    }

    [Fact]
    public async Task Always_applies_the_file_at_every_start()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(Always_applies_the_file_at_every_start));
        await fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.WhenChanged);
        await fixture.Store.AppendAsync(ChangedByApi, 1, "api", null);

        var catalog = await fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.Always);

        Assert.Equal(3, catalog.Version);
        Assert.Equal(["echo"], catalog.Definition.Processes.Select(p => p.Id));
    }

    [Fact]
    public async Task A_file_equal_to_the_stored_graph_adds_no_version_but_is_remembered()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(A_file_equal_to_the_stored_graph_adds_no_version_but_is_remembered));
        await fixture.Store.AppendAsync(ChangedByApi, 0, "api", null);

        var first = await fixture.Reconciler.ReconcileAsync(ChangedByApi, "p.json", PipelinesFileMode.WhenChanged);
        await fixture.Store.AppendAsync(File, 1, "api", null);
        var second = await fixture.Reconciler.ReconcileAsync(ChangedByApi, "p.json", PipelinesFileMode.WhenChanged);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
    }

    [Fact]
    public async Task Hosts_starting_together_with_a_new_file_store_it_once()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(Hosts_starting_together_with_a_new_file_store_it_once));

        var catalogs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Reconciler.ReconcileAsync(File, "p.json", PipelinesFileMode.WhenChanged)));

        Assert.All(catalogs, c => Assert.Equal(1, c.Version));
        Assert.Equal(1, await fixture.Store.CurrentVersionAsync());
    }

    [Fact]
    public async Task Without_a_file_the_stored_graph_runs_or_an_empty_one()
    {
        await using var fixture = await Fixture.CreateAsync(nameof(Without_a_file_the_stored_graph_runs_or_an_empty_one));

        var empty = await fixture.Reconciler.ReconcileAsync(null, null, PipelinesFileMode.WhenChanged);
        await fixture.Store.AppendAsync(File, 0, "api", null);
        var stored = await fixture.Reconciler.ReconcileAsync(null, null, PipelinesFileMode.WhenChanged);

        Assert.Equal(0, empty.Version);
        Assert.Empty(empty.Definition.Processes);
        Assert.Equal(1, stored.Version);
    }

    private sealed class Fixture : IAsyncDisposable
    {
        private readonly PostgresDatabase _database;

        private Fixture(PostgresDatabase database)
        {
            _database = database;
            Store = new PipelineStore(database.DataSource, "svc");
            Reconciler = new PipelinesFileReconciler(Store, NullLogger<PipelinesFileReconciler>.Instance);
        }

        public PipelineStore Store { get; }

        public PipelinesFileReconciler Reconciler { get; }

        public static async Task<Fixture> CreateAsync(string name)
        {
            var fixture = new Fixture(await PostgresDatabase.CreateAsync(name));
            await fixture.Store.InstallAsync();
            return fixture;
        }

        public ValueTask DisposeAsync() => _database.DisposeAsync();
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres.Backfills;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A database with capture installed for input "in" and the backfill services a silo would have, without a silo.</summary>
internal sealed class BackfillHarness : IAsyncDisposable
{
    public const int QueueCount = 4;

    private readonly BackfillDatabases _databases = new();
    private readonly bool _ownsDatabase;

    private BackfillHarness(PostgresDatabase database, IPipelineGraph graph, bool ownsDatabase, int queueCount = QueueCount)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        Options = new BackfillOptions { ConnectionString = database.ConnectionString, QueueCount = queueCount, PageSize = 4 };
        Service = new BackfillService(graph, new BackfillPlanner(graph, Options, _databases, new InputConnections(database.ConnectionString)), _databases);
    }

    public PostgresDatabase Database { get; }

    public BackfillOptions Options { get; }

    public BackfillService Service { get; }

    public BackfillStore Store => Service.Stores.Single();

    public static async Task<BackfillHarness> StartAsync(string name, string setupSql, PipelineDefinition definition)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        try
        {
            await database.ExecuteAsync(setupSql);
            await new PostgresCaptureInstaller(database.ConnectionString, QueueCount).InstallAsync(definition, CancellationToken.None);
            return new BackfillHarness(database, new FixedPipelineGraph(definition), ownsDatabase: true);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Backfills over a database whose capture is already installed (and that its owner drops).</summary>
    public static BackfillHarness Over(PostgresDatabase database, PipelineDefinition definition, int queueCount) =>
        new(database, new FixedPipelineGraph(definition), ownsDatabase: false, queueCount);

    /// <summary>Copies pages until no running backfill is left; returns the pages copied.</summary>
    public async Task<List<BackfillPageResult>> RunToEndAsync(BackfillStore? store = null)
    {
        var pages = new List<BackfillPageResult>();
        while (await BackfillPages.CopyNextAsync(store ?? Store, Options.QueueCount, Options.MaxPendingEvents, CancellationToken.None) is { } page)
        {
            pages.Add(page);
        }

        return pages;
    }

    /// <summary>A runner as a silo has it, over this harness's service.</summary>
    public BackfillRunner Runner() => new(Service, Options, NullLogger<BackfillRunner>.Instance);

    public Task<long> CountAsync(string sql) => Database.ScalarAsync<long>(sql);

    public async Task<BackfillProgress> StartAsync(BackfillRequest request) => (await Service.StartAsync(request, CancellationToken.None)).Single();

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await _databases.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

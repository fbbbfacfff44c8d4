using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A database with capture installed for one input, and receivers built directly on it (no cluster).</summary>
internal sealed class CaptureHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private CaptureHarness(PostgresDatabase database, PostgresCaptureStreamOptions options, ICaptureTopology topology)
    {
        Database = database;
        Options = options;
        Topology = topology;
    }

    public PostgresDatabase Database { get; }

    public PostgresCaptureStreamOptions Options { get; }

    public ICaptureTopology Topology { get; }

    public static async Task<CaptureHarness> StartAsync(string name, string setupSql, PostgresCaptureStreamOptions options, params string[] links)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        await database.ExecuteAsync(setupSql);
        var input = new PostgresInputDefinition { Id = "in" };
        var definition = new PipelineDefinition
        {
            Inputs = [input],
            Processes = [new ContainerProcessDefinition { Id = "p", Image = "x" }],
            Links = links.Select(l => new LinkDefinition { Id = l, Input = "in", Process = "p" }).ToList(),
        };
        await new PostgresCaptureInstaller(database.ConnectionString, options.QueueCount).InstallAsync(definition.Inputs, CancellationToken.None);
        return new CaptureHarness(database, options, new PipelineCaptureTopology(new PipelineCatalog(definition), database.ConnectionString));
    }

    /// <summary>A receiver of <paramref name="queue"/> with its own listener, as a separate silo would have.</summary>
    public async Task<IQueueAdapterReceiver> ReceiverAsync(int queue = 0)
    {
        var listener = new CaptureListener(Topology, NullLogger<CaptureListener>.Instance);
        var databases = new CaptureDatabases();
        _owned.Add(listener);
        _owned.Add(databases);
        var receiver = new PostgresCaptureQueueAdapterReceiver(
            QueueId.GetQueueId("test", (uint)queue, 0), Options, Topology, databases, listener, TimeProvider.System,
            NullLogger<PostgresCaptureQueueAdapterReceiver>.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        return receiver;
    }

    /// <summary>Reads until <paramref name="count"/> events have come (or the deadline passes); returns the containers.</summary>
    public static async Task<List<PostgresCaptureBatchContainer>> ReadAsync(IQueueAdapterReceiver receiver, int count, TimeSpan? timeout = null)
    {
        var read = new List<PostgresCaptureBatchContainer>();
        await Eventually.UntilAsync(
            async () =>
            {
                read.AddRange((await receiver.GetQueueMessagesAsync(1000, CancellationToken.None)).Cast<PostgresCaptureBatchContainer>());
                return Events(read).Count >= count;
            },
            $"{count} events",
            timeout ?? TimeSpan.FromSeconds(30));
        return read;
    }

    public static List<CapturedEvent> Events(IEnumerable<PostgresCaptureBatchContainer> containers) =>
        containers.SelectMany(c => c.Batch.Events).ToList();

    public Task<long> LogCountAsync() => Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log");

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;
using Orleans.Configuration;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>
/// A database with capture installed for input "in" and the given links, and receivers built directly from the
/// provider's factory (no cluster). Each <see cref="SiloAsync"/> is what one silo would have: its own factory,
/// connections and listener.
/// </summary>
internal sealed class CaptureHarness : IAsyncDisposable
{
    public const string ProviderName = "capture-test";

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

    public static Task<CaptureHarness> StartAsync(string name, string setupSql, PostgresCaptureStreamOptions options, params string[] links) =>
        StartAsync(name, setupSql, options, Pipelines.Definition(links));

    public static async Task<CaptureHarness> StartAsync(string name, string setupSql, PostgresCaptureStreamOptions options, PipelineDefinition definition)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        try
        {
            await database.ExecuteAsync(setupSql);
            await new PostgresCaptureInstaller(database.ConnectionString, options.QueueCount).InstallAsync(definition, CancellationToken.None);
            return new CaptureHarness(database, options, new PipelineCaptureTopology(new FixedPipelineGraph(definition), database.ConnectionString));
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new silo's factory, adapter and failure handling, with the receiver of <paramref name="queue"/> initialized.</summary>
    public async Task<TestSilo> SiloAsync(int queue = 0, ICaptureTopology? topology = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<PostgresCaptureStreamOptions>(ProviderName).Configure(o =>
        {
            o.QueueCount = Options.QueueCount;
            o.LeaseDuration = Options.LeaseDuration;
            o.FallbackPollInterval = Options.FallbackPollInterval;
            o.MaxReadCount = Options.MaxReadCount;
            o.MaxPendingEvents = Options.MaxPendingEvents;
        });
        services.AddOptions<SimpleQueueCacheOptions>(ProviderName);
        services.AddSingleton(topology ?? Topology);
        var provider = services.BuildServiceProvider();
        var factory = PostgresCaptureQueueAdapterFactory.Create(provider, ProviderName);
        _owned.Add(provider);
        _owned.Add(factory);
        var queueId = factory.GetStreamQueueMapper().GetAllQueues().Single(q => q.GetNumericId() == queue);
        var adapter = await factory.CreateAdapter(CancellationToken.None);
        var receiver = (PostgresCaptureQueueAdapterReceiver)adapter.CreateReceiver(queueId);
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        return new TestSilo(factory, queueId, receiver, await factory.GetDeliveryFailureHandler(queueId));
    }

    /// <summary>Two silos reading queue 0, both listening and done with their start-up reads.</summary>
    public async Task<(TestSilo First, TestSilo Second)> TwoIdleSilosAsync()
    {
        var first = await SiloAsync();
        var second = await SiloAsync();
        await first.IdleAsync();
        await second.IdleAsync();
        return (first, second);
    }

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

/// <summary>One silo's view of the provider: its factory and the receiver of one queue.</summary>
internal sealed record TestSilo(
    PostgresCaptureQueueAdapterFactory Factory,
    QueueId QueueId,
    PostgresCaptureQueueAdapterReceiver Receiver,
    IStreamFailureHandler FailureHandler)
{
    /// <summary>The listener of the harness's (first) source on this silo.</summary>
    public bool ListenerConnected => Factory.Databases.All[0].Listener.IsConnected;

    /// <summary>One read, as the pulling agent does it.</summary>
    public async Task<List<PostgresCaptureBatchContainer>> ReadOnceAsync(int maxCount = 1000) =>
        (await Receiver.GetQueueMessagesAsync(maxCount, CancellationToken.None)).Cast<PostgresCaptureBatchContainer>().ToList();

    /// <summary>Reads until <paramref name="count"/> events have come (or the deadline passes); returns the containers.</summary>
    public async Task<List<PostgresCaptureBatchContainer>> ReadAsync(int count, TimeSpan? timeout = null)
    {
        var read = new List<PostgresCaptureBatchContainer>();
        await Eventually.UntilAsync(
            async () =>
            {
                read.AddRange(await ReadOnceAsync());
                return Events(read).Count >= count;
            },
            $"{count} events",
            timeout ?? TimeSpan.FromSeconds(30));
        return read;
    }

    /// <summary>Waits until the listener is connected and the start-up catch-up read is done.</summary>
    public async Task IdleAsync()
    {
        await Eventually.UntilAsync(() => Task.FromResult(ListenerConnected), "the listener to connect");
        Assert.Empty(await ReadOnceAsync());
    }

    public Task DeliveredAsync(IEnumerable<PostgresCaptureBatchContainer> containers) =>
        Receiver.MessagesDeliveredAsync(containers.Cast<IBatchContainer>().ToList(), CancellationToken.None);

    public static List<CapturedEvent> Events(IEnumerable<PostgresCaptureBatchContainer> containers) =>
        containers.SelectMany(c => c.Batch.Events).ToList();
}

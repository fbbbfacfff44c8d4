using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Capture.Postgres.Tests.Cluster;

/// <summary>
/// An in-process cluster whose silos run the capture provider against a fresh database holding table <c>t</c>, watched
/// by one input with the given links; the recording consumers stand in for the link grains.
/// </summary>
internal sealed class CaptureCluster : IAsyncDisposable
{
    public const int QueueCount = 2;

    private CaptureCluster(PostgresDatabase database, PipelineDefinition definition)
    {
        Database = database;
        Definition = definition;
    }

    public PostgresDatabase Database { get; }

    public PipelineDefinition Definition { get; }

    public InProcessTestCluster? Cluster { get; private set; }

    public string InputId => Definition.Inputs[0].Id;

    /// <summary>Creates the database and installs capture; <see cref="StartAsync"/> starts the silos.</summary>
    public static async Task<CaptureCluster> PrepareAsync(string name, params string[] links)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        var definition = Pipelines.Definition(new PostgresInputDefinition { Id = $"in-{Guid.NewGuid():N}" }, links);
        try
        {
            await database.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY)");
            await new PostgresCaptureInstaller(database.ConnectionString, QueueCount).InstallAsync(definition, CancellationToken.None);
            return new CaptureCluster(database, definition);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="silos"/> silos; <paramref name="pullingAgent"/> adjusts their agents' options.</summary>
    public async Task StartAsync(short silos = 2, Action<Orleans.Configuration.StreamPullingAgentOptions>? pullingAgent = null)
    {
        var topology = new PipelineCaptureTopology(new FixedPipelineGraph(Definition), Database.ConnectionString);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPostgresCaptureStreams(CaptureStreams.ProviderName, streams =>
            {
                streams.ConfigureCapture(ob => ob.Configure(o =>
                {
                    o.QueueCount = QueueCount;
                    o.FallbackPollInterval = TimeSpan.FromSeconds(1);
                }));
                if (pullingAgent is not null)
                {
                    streams.ConfigurePullingAgent(ob => ob.Configure(pullingAgent));
                }
            });
            silo.Services.AddSingleton<ICaptureTopology>(topology);
        });
        builder.ConfigureClient(client => client.AddPostgresCaptureStreams(CaptureStreams.ProviderName, o => o.QueueCount = QueueCount));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>How many queues <paramref name="silo"/> reads now.</summary>
    public int ReceiversOn(InProcessSiloHandle silo) =>
        ((PostgresCaptureQueueAdapterFactory)Cluster!.GetSiloServiceProvider(silo.SiloAddress).GetRequiredKeyedService<IQueueAdapterFactory>(CaptureStreams.ProviderName)).ReceiverCount;

    /// <summary>How many listening connections the silos hold to the database.</summary>
    public Task<long> ListenersAsync() => Database.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", CaptureListener.ApplicationName);

    public Task<long> LogCountAsync() => Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log");

    /// <summary>Waits until every link was delivered exactly the events with ids 1..<paramref name="count"/>.</summary>
    public Task AllDeliveredAsync(int count) => Eventually.UntilAsync(
        () => Task.FromResult(Definition.Links.All(l => Deliveries.EventIds(InputId, l.Id).SetEquals(Enumerable.Range(1, count).Select(i => (long)i)))),
        $"events 1..{count} on every link");

    /// <summary>Waits until the event log is empty: every delivered event was acknowledged.</summary>
    public Task AcknowledgedAsync() => Eventually.UntilAsync(async () => await LogCountAsync() == 0, "an empty event log");

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

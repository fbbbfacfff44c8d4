using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Orchestrator.Capture.Postgres;

/// <summary>Registers the Postgres capture stream provider on a silo.</summary>
public static class PostgresCaptureSiloBuilderExtensions
{
    /// <summary>
    /// Adds the provider named <paramref name="name"/>: implicit subscriptions only (no PubSubStore), the event log
    /// split into <see cref="PostgresCaptureStreamOptions.QueueCount"/> queues. The silo's services must hold an
    /// <see cref="ICaptureTopology"/>.
    /// </summary>
    public static ISiloBuilder AddPostgresCaptureStreams(this ISiloBuilder builder, string name, Action<PostgresCaptureStreamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PostgresCaptureStreamOptions();
        configure?.Invoke(options);
        options.Validate(name);
        builder.Services.TryAddSingleton<CaptureDatabases>();
        builder.Services.TryAddSingleton<CaptureListener>();
        return builder.AddPersistentStreams(name, PostgresCaptureQueueAdapterFactory.Create, streams =>
        {
            streams.Configure<PostgresCaptureStreamOptions>(ob => ob.Configure(o =>
            {
                o.QueueCount = options.QueueCount;
                o.LeaseDuration = options.LeaseDuration;
                o.FallbackPollInterval = options.FallbackPollInterval;
                o.MaxReadCount = options.MaxReadCount;
            }));
            streams.Configure<HashRingStreamQueueMapperOptions>(ob => ob.Configure(o => o.TotalQueueCount = options.QueueCount));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10)));
        });
    }
}

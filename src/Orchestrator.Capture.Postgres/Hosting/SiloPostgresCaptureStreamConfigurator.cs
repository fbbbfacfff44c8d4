using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Sets up the Postgres capture stream provider on a silo: its options and their validator, implicit subscriptions
/// only (no PubSubStore), and the pulling agent's defaults for this provider:
/// <list type="bullet">
/// <item>a 10 ms pump tick: an idle receiver answers from its notification flag without a query, so a short tick
/// costs little and takes most of the wait out of commit-to-delivery latency;</item>
/// <item>one batch container per delivery: each container already carries every event of a read for its link;</item>
/// <item>30 s of delivery retries before the failure handler releases the events, well inside the 60 s lease, so a
/// failing delivery hands its events back before their lease expires.</item>
/// </list>
/// Change them with <see cref="SiloPersistentStreamConfiguratorExtensions.ConfigurePullingAgent"/>.
/// </summary>
public sealed class SiloPostgresCaptureStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Registers the provider named <paramref name="name"/>.</summary>
    public SiloPostgresCaptureStreamConfigurator(string name, Action<Action<IServiceCollection>> configureDelegate)
        : base(name, configureDelegate, PostgresCaptureQueueAdapterFactory.Create)
    {
        ConfigureDelegate(services => services
            .ConfigureNamedOptionForLogging<PostgresCaptureStreamOptions>(name)
            .ConfigureNamedOptionForLogging<SimpleQueueCacheOptions>(name)
            .AddTransient<IConfigurationValidator>(sp => new PostgresCaptureStreamOptionsValidator(sp.GetOptionsByName<PostgresCaptureStreamOptions>(name), name)));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        this.ConfigurePullingAgent(ob => ob.Configure(o =>
        {
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
            o.BatchContainerBatchSize = 1;
            o.MaxEventDeliveryTime = TimeSpan.FromSeconds(30);
        }));
    }

    /// <summary>Configures the provider's <see cref="PostgresCaptureStreamOptions"/>.</summary>
    public SiloPostgresCaptureStreamConfigurator ConfigureCapture(Action<OptionsBuilder<PostgresCaptureStreamOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        this.Configure(configureOptions);
        return this;
    }
}

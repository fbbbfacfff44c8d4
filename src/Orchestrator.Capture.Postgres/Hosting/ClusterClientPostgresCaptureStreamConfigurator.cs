using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Sets up the Postgres capture stream provider on a cluster client, with the silos' options (the same queue count
/// and implicit subscriptions only). A client never reads the event log; the provider is read-only, so it cannot
/// produce either: it only lets client code name the provider's streams.
/// </summary>
public sealed class ClusterClientPostgresCaptureStreamConfigurator : ClusterClientPersistentStreamConfigurator
{
    /// <summary>Registers the provider named <paramref name="name"/>.</summary>
    public ClusterClientPostgresCaptureStreamConfigurator(string name, IClientBuilder clientBuilder)
        : base(name, clientBuilder, PostgresCaptureQueueAdapterFactory.Create)
    {
        ArgumentNullException.ThrowIfNull(clientBuilder);
        clientBuilder.ConfigureServices(services => services
            .ConfigureNamedOptionForLogging<PostgresCaptureStreamOptions>(name)
            .AddTransient<IConfigurationValidator>(sp => new PostgresCaptureStreamOptionsValidator(sp.GetOptionsByName<PostgresCaptureStreamOptions>(name), name)));
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
    }

    /// <summary>Configures the provider's <see cref="PostgresCaptureStreamOptions"/>.</summary>
    public ClusterClientPostgresCaptureStreamConfigurator ConfigureCapture(Action<OptionsBuilder<PostgresCaptureStreamOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        this.Configure(configureOptions);
        return this;
    }
}

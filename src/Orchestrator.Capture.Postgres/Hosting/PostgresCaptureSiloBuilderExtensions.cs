using Orleans.Hosting;

namespace Orchestrator.Capture.Postgres;

/// <summary>Adds the Postgres capture stream provider to a silo.</summary>
public static class PostgresCaptureSiloBuilderExtensions
{
    /// <summary>
    /// Adds the provider named <paramref name="name"/>, reading the event logs of the databases of the silo's
    /// <see cref="ICaptureTopology"/> (which the silo's services must hold) in
    /// <see cref="PostgresCaptureStreamOptions.QueueCount"/> queues.
    /// </summary>
    public static ISiloBuilder AddPostgresCaptureStreams(this ISiloBuilder builder, string name, Action<PostgresCaptureStreamOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return builder.AddPostgresCaptureStreams(name, c => c.ConfigureCapture(ob => ob.Configure(configureOptions)));
    }

    /// <summary>Adds the provider named <paramref name="name"/>, configured through its configurator.</summary>
    public static ISiloBuilder AddPostgresCaptureStreams(this ISiloBuilder builder, string name, Action<SiloPostgresCaptureStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new SiloPostgresCaptureStreamConfigurator(name, services => builder.ConfigureServices(services)));
        return builder;
    }
}

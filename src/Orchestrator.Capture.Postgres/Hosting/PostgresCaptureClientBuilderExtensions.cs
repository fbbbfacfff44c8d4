using Orleans.Hosting;

namespace Orchestrator.Capture.Postgres;

/// <summary>Adds the Postgres capture stream provider to a cluster client.</summary>
public static class PostgresCaptureClientBuilderExtensions
{
    /// <summary>Adds the provider named <paramref name="name"/> with the silos' options.</summary>
    public static IClientBuilder AddPostgresCaptureStreams(this IClientBuilder builder, string name, Action<PostgresCaptureStreamOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return builder.AddPostgresCaptureStreams(name, c => c.ConfigureCapture(ob => ob.Configure(configureOptions)));
    }

    /// <summary>Adds the provider named <paramref name="name"/>, configured through its configurator.</summary>
    public static IClientBuilder AddPostgresCaptureStreams(this IClientBuilder builder, string name, Action<ClusterClientPostgresCaptureStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new ClusterClientPostgresCaptureStreamConfigurator(name, builder));
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Processes;

/// <summary>Registers the container process kind.</summary>
public static class ContainerProcessesServiceCollectionExtensions
{
    /// <summary>Adds the engine client and <see cref="IContainerRunner"/>.</summary>
    public static IServiceCollection AddContainerProcesses(this IServiceCollection services, Action<ContainerEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ContainerEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<DockerEngine>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IContainerRunner, DockerContainerRunner>();
        return services;
    }
}

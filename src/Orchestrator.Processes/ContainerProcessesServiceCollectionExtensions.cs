using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>Registers the container process kind.</summary>
public static class ContainerProcessesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ContainerEngineOptions"/> (validated at first use), the shared <see cref="DockerEngine"/> and
    /// <see cref="IContainerRunner"/>. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddContainerProcesses(this IServiceCollection services, Action<ContainerEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ContainerEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainerEngineOptions>, ContainerEngineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DockerEngine>();
        services.TryAddSingleton<IContainerRunner, DockerContainerRunner>();
        return services;
    }
}

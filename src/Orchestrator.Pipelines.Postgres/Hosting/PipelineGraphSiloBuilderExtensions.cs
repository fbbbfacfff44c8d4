using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres.Hosting;

/// <summary>Registers the stored pipeline graph on a silo.</summary>
public static class PipelineGraphSiloBuilderExtensions
{
    private const string DataSourceKey = "orchestrator-pipelines";

    /// <summary>
    /// Adds <see cref="IPipelineGraph"/> over the stored graph, starting from <paramref name="initial"/> (the version the
    /// host prepared) and kept current while the silo runs, and <see cref="PipelineStore"/>. The tables must exist
    /// (<see cref="PipelineStore.InstallAsync"/>).
    /// </summary>
    public static ISiloBuilder AddPostgresPipelineGraph(this ISiloBuilder silo, PipelineCatalog initial, Action<PipelineGraphOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PipelineGraphOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString) || string.IsNullOrWhiteSpace(options.ServiceId) || options.PollPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Invalid {nameof(PipelineGraphOptions)}: {nameof(PipelineGraphOptions.ConnectionString)} and {nameof(PipelineGraphOptions.ServiceId)} are required and {nameof(PipelineGraphOptions.PollPeriod)} must be positive.",
                nameof(configure));
        }

        silo.Services.AddKeyedSingleton(DataSourceKey, (_, _) => NpgsqlDataSource.Create(options.ConnectionString));
        silo.Services.AddSingleton(sp => new PipelineStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            options.ServiceId));
        silo.Services.AddSingleton(sp => new PostgresPipelineGraph(
            sp.GetRequiredService<PipelineStore>(),
            initial,
            sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(),
            sp.GetRequiredService<ILogger<PostgresPipelineGraph>>()));
        silo.Services.AddSingleton<IPipelineGraph>(sp => sp.GetRequiredService<PostgresPipelineGraph>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new PipelineGraphWatcher(
            sp.GetRequiredService<PostgresPipelineGraph>(),
            options,
            sp.GetRequiredService<ILogger<PipelineGraphWatcher>>()));
        return silo;
    }
}

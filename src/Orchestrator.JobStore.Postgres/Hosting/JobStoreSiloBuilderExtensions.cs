using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orchestrator.JobStore.Postgres.Hosting;

/// <summary>Registers the job record store on a silo.</summary>
public static class JobStoreSiloBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="PostgresJobGrainStorage"/> as the grain storage <paramref name="name"/>, and
    /// <see cref="JobQueries"/>, <see cref="UnfinishedJobs"/>, <see cref="RowJobs"/> and <see cref="LinkCounters"/> over the same tables. The tables must exist (<see cref="JobStoreSchema.InstallAsync"/>);
    /// job records left in Orleans' grain storage by an earlier version are moved when the silo starts. Rows are
    /// keyed by the cluster's service id (<see cref="ClusterOptions.ServiceId"/>), as Orleans' own storage keys them.
    /// </summary>
    public static ISiloBuilder AddPostgresJobStore(this ISiloBuilder silo, string name, Action<JobStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JobStoreOptions();
        configure(options);
        if (JobStoreOptionsValidator.Problems(options) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Invalid {nameof(JobStoreOptions)} for job store '{name}': {string.Join("; ", problems)}.", nameof(configure));
        }

        silo.Services.AddKeyedSingleton(name, (_, _) => JobStoreDataSource.Create(options.ConnectionString!));
        silo.Services.AddGrainStorage(name, (sp, storageName) => new PostgresJobGrainStorage(
            storageName,
            ServiceId(sp),
            sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(),
            options,
            sp.GetRequiredKeyedService<NpgsqlDataSource>(storageName),
            new LegacyJobMigration(sp.GetRequiredService<IGrainStorageSerializer>(), sp.GetRequiredService<ILogger<LegacyJobMigration>>()),
            sp.GetRequiredService<ILogger<PostgresJobGrainStorage>>()));
        silo.Services.AddSingleton(sp => new JobQueries(sp.GetRequiredKeyedService<NpgsqlDataSource>(name), ServiceId(sp)));
        silo.Services.AddSingleton(sp => new UnfinishedJobs(sp.GetRequiredKeyedService<NpgsqlDataSource>(name), ServiceId(sp)));
        silo.Services.AddSingleton(sp => new LinkCounters(sp.GetRequiredKeyedService<NpgsqlDataSource>(name), ServiceId(sp)));
        silo.Services.AddSingleton(sp => new RowJobs(sp.GetRequiredKeyedService<NpgsqlDataSource>(name), ServiceId(sp)));
        return silo;
    }

    /// <summary>
    /// Adds <see cref="JobRetention"/> over the table of the job store <paramref name="storeName"/> (added with
    /// <see cref="AddPostgresJobStore"/>), and <paramref name="options"/> as <c>IOptions&lt;JobRetentionOptions&gt;</c>.
    /// What runs the sweeps is up to the caller (the host's retention grain).
    /// </summary>
    public static ISiloBuilder AddPostgresJobRetention(this ISiloBuilder silo, string storeName, JobRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        ArgumentNullException.ThrowIfNull(options);
        if (JobRetentionOptionsValidator.Problems(options) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Invalid {nameof(JobRetentionOptions)} for job store '{storeName}': {string.Join("; ", problems)}.", nameof(options));
        }

        silo.Services.AddSingleton(Options.Create(options));
        silo.Services.AddSingleton(sp => new JobRetention(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(storeName),
            ServiceId(sp),
            options,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<JobRetention>>()));
        return silo;
    }

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}

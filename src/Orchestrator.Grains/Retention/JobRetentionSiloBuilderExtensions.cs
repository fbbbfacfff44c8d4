using Microsoft.Extensions.DependencyInjection;
using Orchestrator.JobStore.Postgres;
using Orchestrator.JobStore.Postgres.Hosting;

namespace Orchestrator.Grains.Retention;

/// <summary>Registers the retention of job records on a silo.</summary>
public static class JobRetentionSiloBuilderExtensions
{
    /// <summary>
    /// Prunes the job store <paramref name="storeName"/>'s finished records by <paramref name="options"/>: the
    /// sweep (<see cref="JobRetention"/>), and the start of <see cref="JobRetentionGrain"/>'s reminder with the
    /// silo. Orleans' <c>ReminderOptions.MinimumReminderPeriod</c> must not exceed the interval.
    /// </summary>
    public static ISiloBuilder AddJobRetention(this ISiloBuilder silo, string storeName, JobRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddPostgresJobRetention(storeName, options);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, JobRetentionStarter>();
        return silo;
    }
}

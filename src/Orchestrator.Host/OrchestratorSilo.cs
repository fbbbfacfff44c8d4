using System.Net;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Capture.Postgres;
using Orchestrator.Capture.Postgres.Filters;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Pipelines;
using Orchestrator.Pipelines.Postgres.Hosting;
using Orchestrator.Grains.Retention;
using Orchestrator.Host.Configuration;
using Orchestrator.Host.Health;
using Microsoft.Extensions.Options;
using Orchestrator.JobStore.Postgres.Hosting;
using Orchestrator.Persistence.Postgres;
using Orchestrator.Processes;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Orchestrator.Host;

/// <summary>Wires a silo: Postgres clustering and reminders, the job store, the capture stream provider, the grains' services.</summary>
public static class OrchestratorSilo
{
    /// <summary>Adds the Orchestrator silo, with the dashboard, to a web application.</summary>
    public static WebApplicationBuilder AddOrchestratorSilo(this WebApplicationBuilder builder, OrchestratorHostOptions options, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            var address = ResolveAddress(options.AdvertisedAddress);
            silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
            silo.UsePostgresClustering(options.ConnectionString!);
            silo.AddOrchestratorServices(options, catalog);
            silo.AddDashboard();
        });
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<DependencyMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DependencyMonitor>());
        return builder;
    }

    /// <summary>The deployment's containers: its service id and job database (never the credentials).</summary>
    private static string ContainerScope(string serviceId, string connectionString)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{serviceId}@{database.Host}:{database.Port}/{database.Database}";
    }

    /// <summary>The inputs' databases: the host's own, or the one an input names, directly or by a secret.</summary>
    internal static InputConnections InputConnectionsOf(OrchestratorHostOptions options) =>
        new(options.ConnectionString!, new SecretSet(options.Secrets));

    private static IPAddress ResolveAddress(string hostOrAddress) =>
        IPAddress.TryParse(hostOrAddress, out var address)
            ? address
            : Dns.GetHostAddresses(hostOrAddress).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
              ?? throw new InvalidOperationException($"Orchestrator:AdvertisedAddress '{hostOrAddress}' does not resolve to an IPv4 address.");

    /// <summary>
    /// Everything but clustering and endpoints: the job store and its retention, reminders, the replays' storage, the capture streams, the
    /// pipeline graph (starting from <paramref name="catalog"/>, the version <see cref="HostBootstrap.PrepareAsync"/> returned) and the
    /// process runner. Test clusters call this with their own membership.
    /// </summary>
    public static ISiloBuilder AddOrchestratorServices(this ISiloBuilder silo, OrchestratorHostOptions options, PipelineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ConnectionString ?? throw new ArgumentException("The options name no connection string.", nameof(options));
        silo.AddPostgresJobStore(JobGrain.StorageName, o =>
        {
            o.ConnectionString = connectionString;
            o.BatchWindow = options.JobStoreBatchWindow;
        });
        silo.UsePostgresReminders(connectionString);
        silo.AddPostgresGrainStorage(ReplayGrain.StorageName, connectionString);
        silo.AddPostgresCaptureStreams(CaptureStreams.ProviderName, o => o.QueueCount = options.CaptureQueueCount);
        silo.AddPostgresBackfills(o =>
        {
            o.ConnectionString = connectionString;
            o.QueueCount = options.CaptureQueueCount;
            o.PageSize = options.BackfillPageSize;
            o.MaxPendingEvents = options.BackfillMaxPendingEvents;
        });
        silo.AddPostgresPipelineGraph(catalog, o =>
        {
            o.ConnectionString = connectionString;
            o.ServiceId = options.ServiceId;
        });
        var connections = InputConnectionsOf(options);
        silo.Services.AddSingleton(connections);
        silo.Services.AddSingleton<ICaptureTopology>(sp => new PipelineCaptureTopology(sp.GetRequiredService<IPipelineGraph>(), connections));
        silo.Services.AddSingleton(new PostgresCaptureInstaller(connections, options.CaptureQueueCount));
        silo.Services.AddSingleton<PipelineChanger>();
        silo.Services.AddSingleton<ILinkFilters>(new PostgresLinkFilters(connections));
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<ISecrets>(new SecretSet(options.Secrets));
        silo.Services.AddContainerProcesses(o => o.Scope = ContainerScope(options.ServiceId, connectionString));
        silo.Services.AddSingleton<IAttemptRunner, ContainerAttemptRunner>();
        silo.Services.Configure<JobOptions>(o => o.RescuePeriod = options.JobRescuePeriod);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, JobRescueTrigger>();
        silo.AddJobRetention(JobGrain.StorageName, options.Retention);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = o.MinimumReminderPeriod < options.Retention.Interval ? o.MinimumReminderPeriod : options.Retention.Interval);
        return silo;
    }
}

using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres;
using Orchestrator.Host.Configuration;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Persistence.Postgres;
using Orchestrator.Pipelines.Postgres;

namespace Orchestrator.Host;

/// <summary>
/// What happens before the silo starts: the pipelines file (when given) is read and validated, its inputs are checked
/// against their databases, and only then is anything installed (Orleans' tables, the job table, the graph's tables).
/// Then the graph to run is decided (<see cref="PipelinesFileReconciler"/>: the stored version, or the file when it
/// changed) and its capture triggers are installed. A user never runs SQL by hand.
/// </summary>
public static class HostBootstrap
{
    /// <summary>Validates everything, installs the schemas, and returns the version of the graph the silo starts with.</summary>
    public static async Task<PipelineCatalog> PrepareAsync(OrchestratorHostOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var file = options.PipelinesFile is { Length: > 0 } path ? PipelineFile.Load(path) : null;
        var installer = new PostgresCaptureInstaller(OrchestratorSilo.InputConnectionsOf(options), options.CaptureQueueCount);
        if (file is not null)
        {
            await installer.ValidateAsync(file, cancellationToken);
        }

        PipelineCatalog catalog;
        await using (var dataSource = NpgsqlDataSource.Create(options.ConnectionString!))
        {
            await OrleansPostgresSchema.InstallAsync(dataSource, cancellationToken);
            await JobStoreSchema.InstallAsync(dataSource, cancellationToken);
            var store = new PipelineStore(dataSource, options.ServiceId);
            await store.InstallAsync(cancellationToken);
            catalog = await new PipelinesFileReconciler(store, loggerFactory.CreateLogger<PipelinesFileReconciler>())
                .ReconcileAsync(file, options.PipelinesFile, options.PipelinesFileMode, cancellationToken);
        }

        await installer.InstallAsync(catalog.Definition, cancellationToken);
        return catalog;
    }
}

using Npgsql;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Capture.Postgres;
using Orchestrator.Host.Configuration;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Persistence.Postgres;

namespace Orchestrator.Host;

/// <summary>
/// What happens before the silo starts: the pipelines file is read and validated, the inputs are checked against
/// their databases, and only then is anything installed (Orleans' tables, the job table, the capture triggers). A user never runs
/// SQL by hand.
/// </summary>
public static class HostBootstrap
{
    /// <summary>Validates everything, installs the schemas, and returns the loaded pipelines.</summary>
    public static async Task<PipelineCatalog> PrepareAsync(OrchestratorHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = new PipelineCatalog(PipelineFile.Load(options.PipelinesFile!));
        var installer = new PostgresCaptureInstaller(options.ConnectionString!, options.CaptureQueueCount);
        await installer.ValidateAsync(catalog.Definition, cancellationToken);
        await using (var dataSource = NpgsqlDataSource.Create(options.ConnectionString!))
        {
            await OrleansPostgresSchema.InstallAsync(dataSource, cancellationToken);
            await JobStoreSchema.InstallAsync(dataSource, cancellationToken);
        }

        await installer.InstallAsync(catalog.Definition, cancellationToken);
        return catalog;
    }
}

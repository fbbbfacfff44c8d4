using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Capture.Postgres.Backfills;

namespace Orchestrator.Capture.Postgres;

/// <summary>Registers backfills on a silo: the grain's services and the page runner.</summary>
public static class PostgresBackfillSiloBuilderExtensions
{
    /// <summary>
    /// Adds backfills of the pipeline graph's inputs (the silo's services must hold the <c>IPipelineGraph</c>; the inputs'
    /// databases are the silo's <see cref="InputConnections"/>, else found with its <c>ISecrets</c>);
    /// capture must be installed in the inputs' databases, which creates <c>orchestrator.backfills</c>.
    /// </summary>
    public static ISiloBuilder AddPostgresBackfills(this ISiloBuilder silo, Action<BackfillOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new BackfillOptions();
        configure(options);
        if (BackfillOptionsValidator.Problems(options) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Invalid {nameof(BackfillOptions)}: {string.Join("; ", problems)}.", nameof(configure));
        }

        silo.Services.AddSingleton(options);
        silo.Services.TryAddSingleton(sp => new InputConnections(options.ConnectionString!, sp.GetService<ISecrets>() ?? SecretSet.Empty));
        silo.Services.AddSingleton<BackfillDatabases>();
        silo.Services.AddSingleton<BackfillPlanner>();
        silo.Services.AddSingleton<BackfillService>();
        silo.Services.AddHostedService<BackfillRunner>();
        return silo;
    }
}

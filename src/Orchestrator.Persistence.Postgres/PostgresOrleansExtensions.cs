using Orleans.Configuration;
using Orleans.Hosting;

namespace Orchestrator.Persistence.Postgres;

/// <summary>
/// Wires Orleans' ADO.NET providers to a PostgreSQL database prepared by <see cref="OrleansPostgresSchema"/>. Every
/// provider gets the Npgsql invariant and <see cref="OrleansPostgresSchema.ConnectionStringFor"/>; the connection
/// string given here is never logged by this code.
/// </summary>
public static class PostgresOrleansExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql (grain storage would otherwise default to SQL Server's).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Cluster membership in the database.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var providerConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        return silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = providerConnectionString;
        });
    }

    /// <summary>Durable reminders in the database.</summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var providerConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        return silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = providerConnectionString;
        });
    }

    /// <summary>
    /// A named grain storage in the database. State is serialised by the silo's grain storage serializer (Orleans'
    /// JSON one unless the silo replaces it); <paramref name="configure"/> may change other options, such as
    /// <see cref="AdoNetGrainStorageOptions.DeleteStateOnClear"/>.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(
        this ISiloBuilder silo, string name, string connectionString, Action<AdoNetGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var providerConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        return silo.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = providerConnectionString;
            configure?.Invoke(o);
        });
    }

    /// <summary>Lets a client find the cluster's gateways in the database.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        var providerConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        return client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = providerConnectionString;
        });
    }
}

using Orleans.Hosting;

namespace Orchestrator.Persistence.Postgres;

/// <summary>Wires Orleans' ADO.NET providers to a PostgreSQL database prepared by <see cref="OrleansPostgresSchema"/>.</summary>
public static class PostgresOrleansExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Cluster membership in the database.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        });
    }

    /// <summary>Durable reminders in the database.</summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        });
    }

    /// <summary>A named grain storage in the database.</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder silo, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        });
    }

    /// <summary>Lets a client find the cluster's gateways in the database.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = OrleansPostgresSchema.ConnectionStringFor(connectionString);
        });
    }
}

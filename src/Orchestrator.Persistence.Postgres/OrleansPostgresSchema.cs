using System.Reflection;
using Npgsql;

namespace Orchestrator.Persistence.Postgres;

/// <summary>
/// Installs what Orleans' ADO.NET clustering, grain storage and reminders need in a PostgreSQL database: the
/// stored-query catalog, the tables and the functions. Every statement is safe to re-run; two silos starting at
/// once are serialised by a transaction-scoped advisory lock.
/// </summary>
public static class OrleansPostgresSchema
{
    /// <summary>
    /// The schema that holds Orleans' tables. Orleans reads its query catalog unqualified, so every connection the
    /// providers open gets this schema as its search path (<see cref="ConnectionStringFor"/>); that keeps the
    /// tables out of the watched schemas and away from a schema named like the database user.
    /// </summary>
    public const string SchemaName = "orleans";

    /// <summary>The advisory lock key held while the schema is installed.</summary>
    public const long LockKey = 0x4f726c65616e73; // "Orleans"

    private static readonly Lazy<IReadOnlyList<(string Name, string Sql)>> Scripts = new(LoadScripts);

    /// <summary>The embedded scripts, in the order they run.</summary>
    public static IReadOnlyList<(string Name, string Sql)> All => Scripts.Value;

    /// <summary>Installs (or re-confirms) the schema in one transaction.</summary>
    public static async Task InstallAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var schema = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{SchemaName}\"; SET LOCAL search_path TO \"{SchemaName}\"", connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (_, sql) in All)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The connection string Orleans' providers use: <paramref name="connectionString"/> with the Orleans schema as
    /// search path and without Npgsql's pool reset (<c>DISCARD ALL</c>) when a connection goes back to the pool.
    /// </summary>
    /// <remarks>
    /// The reset would also discard the plans PL/pgSQL cached for the storage and membership functions, so every
    /// grain write would plan its statements again; skipping it measurably raises the write rate. It is safe because
    /// this pool serves only the stored queries installed here, and none of them leaves session state behind (no
    /// SET, temporary table, LISTEN, cursor or session advisory lock); Npgsql still rolls back a transaction left
    /// open on a returned connection. The schema path is a start-up parameter, so it survives either way.
    /// </remarks>
    public static string ConnectionStringFor(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = SchemaName, NoResetOnClose = true }.ConnectionString;
    }

    private static List<(string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(OrleansPostgresSchema).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n, Read(assembly, n)))
            .ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

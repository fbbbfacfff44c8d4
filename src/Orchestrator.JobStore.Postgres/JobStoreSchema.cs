using System.Reflection;
using Npgsql;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Installs <c>orchestrator.jobs</c> and its indexes. Every statement is safe to re-run; silos starting at once
/// are serialised by a transaction-scoped advisory lock.
/// </summary>
public static class JobStoreSchema
{
    /// <summary>The advisory lock key held while the schema is installed.</summary>
    public const long LockKey = 0x4a6f625374; // "JobSt"

    private static readonly Lazy<string> Script = new(() => Read(typeof(JobStoreSchema).Assembly, "jobs.sql"));

    /// <summary>Installs (or re-confirms) the table in one transaction.</summary>
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

        await using (var command = new NpgsqlCommand(Script.Value, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string Read(Assembly assembly, string fileName)
    {
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

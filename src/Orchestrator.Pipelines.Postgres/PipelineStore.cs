using Npgsql;
using NpgsqlTypes;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres;

/// <summary>
/// The stored versions of the pipeline graph (<c>orchestrator.pipeline_versions</c>) and the version each silo runs
/// (<c>orchestrator.pipeline_silos</c>). A new version is appended only on top of the version its change was checked
/// against, under an advisory lock, and announced with <c>pg_notify</c> in the same transaction.
/// </summary>
public sealed class PipelineStore(NpgsqlDataSource dataSource, string serviceId)
{
    /// <summary>The channel a new version is announced on (the payload is the service id).</summary>
    public const string Channel = "orchestrator_pipelines";

    // Serialises appends with each other and with schema installation.
    private const long LockKey = 0x506970654772; // "PipeGr"

    private static readonly Lazy<string> Script = new(() =>
    {
        var assembly = typeof(PipelineStore).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".pipelines.sql", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Installs (or re-confirms) the tables, in one transaction.</summary>
    public async Task InstallAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, cancellationToken);
        await using (var command = new NpgsqlCommand(Script.Value, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The number of the current version; 0 when none is stored.</summary>
    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM orchestrator.pipeline_versions WHERE service_id = $1");
        command.Parameters.AddWithValue(serviceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The current version; null when none is stored.</summary>
    public async Task<StoredPipeline?> ReadCurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, definition::text, applied_at, applied_by FROM orchestrator.pipeline_versions WHERE service_id = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.AddWithValue(serviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredPipeline(
            reader.GetInt64(0),
            PipelineFile.Parse(reader.GetString(1)),
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetString(3));
    }

    /// <summary>The hash of the pipelines file a host last started with; null when none did.</summary>
    public async Task<string?> FileHashAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT file_hash FROM orchestrator.pipeline_files WHERE service_id = $1");
        command.Parameters.AddWithValue(serviceId);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="definition"/> as version <paramref name="basedOn"/> + 1 and announces it; returns the new
    /// version, or null when the current version is no longer <paramref name="basedOn"/> (nothing is stored then).
    /// With <paramref name="fileHash"/>, also records that the graph took in that pipelines file (in the same transaction).
    /// </summary>
    public async Task<long?> AppendAsync(PipelineDefinition definition, long basedOn, string appliedBy, string? fileHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrEmpty(appliedBy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, cancellationToken);
        long? version;
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO orchestrator.pipeline_versions (service_id, version, definition, applied_by)
            SELECT $5, $1 + 1, $2, $3
             WHERE (SELECT coalesce(max(version), 0) FROM orchestrator.pipeline_versions WHERE service_id = $5) = $1
            RETURNING version, pg_notify($4, $5)
            """,
            connection,
            transaction))
        {
            command.Parameters.AddWithValue(basedOn);
            command.Parameters.Add(new NpgsqlParameter { Value = PipelineFile.Serialize(definition), NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.AddWithValue(appliedBy);
            command.Parameters.AddWithValue(Channel);
            command.Parameters.AddWithValue(serviceId);
            version = (long?)await command.ExecuteScalarAsync(cancellationToken);
        }

        if (version is { } stored && fileHash is not null)
        {
            await RecordFileAsync(connection, transaction, fileHash, stored, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Records that the graph, at <paramref name="version"/>, took in the pipelines file with <paramref name="fileHash"/>.</summary>
    public async Task RecordFileAsync(string fileHash, long version, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RecordFileAsync(connection, null, fileHash, version, cancellationToken);
    }

    /// <summary>Records that <paramref name="silo"/> runs <paramref name="version"/> (a lower version never replaces a higher one).</summary>
    public async Task ReportAsync(string silo, long version, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO orchestrator.pipeline_silos (service_id, silo, version) VALUES ($3, $1, $2)
            ON CONFLICT (service_id, silo) DO UPDATE SET version = excluded.version, updated_at = now()
             WHERE orchestrator.pipeline_silos.version < excluded.version
            """);
        command.Parameters.AddWithValue(silo);
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(serviceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The version every silo that ever reported runs, by silo.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SiloVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT silo, version FROM orchestrator.pipeline_silos WHERE service_id = $1");
        command.Parameters.AddWithValue(serviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    /// <summary>Forgets the silos not in <paramref name="active"/> that have not reported for <paramref name="age"/>.</summary>
    public async Task ForgetSilosAsync(IReadOnlyCollection<string> active, TimeSpan age, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(active);
        await using var command = dataSource.CreateCommand(
            "DELETE FROM orchestrator.pipeline_silos WHERE service_id = $3 AND silo <> ALL($1) AND updated_at < now() - $2");
        command.Parameters.AddWithValue(active.ToArray());
        command.Parameters.AddWithValue(age);
        command.Parameters.AddWithValue(serviceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RecordFileAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string fileHash, long version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO orchestrator.pipeline_files (service_id, file_hash, version) VALUES ($1, $2, $3)
            ON CONFLICT (service_id) DO UPDATE SET file_hash = excluded.file_hash, version = excluded.version, recorded_at = now()
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(serviceId);
        command.Parameters.AddWithValue(fileHash);
        command.Parameters.AddWithValue(version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.AddWithValue(LockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using System.Text;
using Npgsql;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Checks Postgres inputs against their databases and installs their capture: the event log, the trigger
/// function and one trigger per watched table. <see cref="ValidateAsync"/> changes nothing; every input is
/// checked before <see cref="InstallAsync"/> touches any database, and installing twice changes nothing.
/// </summary>
/// <param name="defaultConnectionString">The database of inputs that name none.</param>
/// <param name="queueCount">How many queues the event log is split into.</param>
public sealed class PostgresCaptureInstaller(string defaultConnectionString, int queueCount)
{
    private const long LockKey = 0x4f7263436170; // "OrcCap"

    /// <summary>
    /// Resolves every input's tables in its database; throws <see cref="InvalidPipelineException"/> listing every
    /// unknown schema or table and every unreachable database.
    /// </summary>
    public async Task<IReadOnlyList<InputTables>> ValidateAsync(IReadOnlyList<PostgresInputDefinition> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var errors = new List<PipelineError>();
        var resolved = new List<InputTables>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var path = $"inputs[{i}]";
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionStringOf(input));
                await connection.OpenAsync(cancellationToken);
                resolved.Add(await ResolveAsync(connection, input, path, errors, cancellationToken));
            }
            catch (NpgsqlException e)
            {
                errors.Add(new(PipelineErrorCode.Unreachable, path + ".connectionString", $"the database of input '{input.Id}' cannot be reached: {e.Message}"));
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidPipelineException(errors);
        }

        return resolved;
    }

    /// <summary>Validates all inputs, then installs capture in each database, one transaction per database.</summary>
    public async Task InstallAsync(IReadOnlyList<PostgresInputDefinition> inputs, CancellationToken cancellationToken)
    {
        var resolved = await ValidateAsync(inputs, cancellationToken);
        foreach (var database in resolved.GroupBy(r => ConnectionStringOf(r.Input), StringComparer.Ordinal))
        {
            await using var connection = new NpgsqlConnection(database.Key);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, LockKey);
            await ExecuteAsync(connection, transaction, ReadSchemaScript(), cancellationToken);
            foreach (var input in database)
            {
                await InstallInputAsync(connection, transaction, input, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private string ConnectionStringOf(PostgresInputDefinition input) => input.ConnectionString ?? defaultConnectionString;

    private static async Task<InputTables> ResolveAsync(
        NpgsqlConnection connection, PostgresInputDefinition input, string path, List<PipelineError> errors, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, c.oid::bigint,
                   ARRAY(SELECT a.attname::text FROM pg_index i
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                          WHERE i.indrelid = c.oid AND i.indisprimary
                          ORDER BY array_position(i.indkey::int2[], a.attnum))
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
            """,
            connection);
        command.Parameters.AddWithValue(input.Schema);
        var existing = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing[reader.GetString(0)] = reader.GetFieldValue<string[]>(2);
            }
        }

        if (input.Tables is null)
        {
            var all = existing.Select(t => new CapturedTable(t.Key, t.Value)).ToList();
            if (all.Count == 0)
            {
                errors.Add(new(PipelineErrorCode.UnknownSchema, path + ".schema",
                    $"input '{input.Id}' watches every table of schema '{input.Schema}', which does not exist or has no tables"));
            }

            return new InputTables(input, all);
        }

        var tables = new List<CapturedTable>();
        for (var t = 0; t < input.Tables.Count; t++)
        {
            if (existing.TryGetValue(input.Tables[t], out var key))
            {
                tables.Add(new CapturedTable(input.Tables[t], key));
            }
            else
            {
                errors.Add(new(PipelineErrorCode.UnknownTable, $"{path}.tables[{t}]",
                    $"input '{input.Id}' names table '{input.Tables[t]}', which does not exist in schema '{input.Schema}'"));
            }
        }

        return new InputTables(input, tables);
    }

    private async Task InstallInputAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InputTables input, CancellationToken cancellationToken)
    {
        var trigger = SqlNames.TriggerName(input.Input.Id);
        var schema = SqlNames.Quote(input.Input.Schema);
        var operations = input.Input.Operations is { } declared
            ? declared.Select(o => ChangeOperations.TryParse(o, out var op) ? op : throw new InvalidOperationException($"unknown operation {o}")).Distinct().Order().ToList()
            : [.. ChangeOperations.All];
        var events = string.Join(" OR ", operations.Select(o => ChangeOperations.NameOf(o).ToUpperInvariant()));
        var wanted = input.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        await using (var stale = new NpgsqlCommand(
            """
            SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE t.tgname = $1 AND n.nspname = $2
            """,
            connection,
            transaction))
        {
            stale.Parameters.AddWithValue(trigger);
            stale.Parameters.AddWithValue(input.Input.Schema);
            var drop = new List<string>();
            await using (var reader = await stale.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    drop.Add(reader.GetString(0));
                }
            }

            foreach (var table in drop.Where(t => !wanted.Contains(t)))
            {
                await ExecuteAsync(connection, transaction, $"DROP TRIGGER IF EXISTS {SqlNames.Quote(trigger)} ON {schema}.{SqlNames.Quote(table)}", cancellationToken);
            }
        }

        foreach (var table in input.Tables)
        {
            var arguments = new StringBuilder()
                .Append(SqlNames.Literal(input.Input.Id)).Append(", ")
                .Append(SqlNames.Literal(queueCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            foreach (var column in table.KeyColumns)
            {
                arguments.Append(", ").Append(SqlNames.Literal(column));
            }

            var target = $"{schema}.{SqlNames.Quote(table.Name)}";
            await ExecuteAsync(connection, transaction,
                $"CREATE OR REPLACE TRIGGER {SqlNames.Quote(trigger)} AFTER {events} ON {target} FOR EACH ROW EXECUTE FUNCTION orchestrator.capture_change({arguments})",
                cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ReadSchemaScript()
    {
        using var stream = typeof(PostgresCaptureInstaller).Assembly.GetManifestResourceStream("capture.sql")
            ?? throw new InvalidOperationException("The embedded capture.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>An input with the tables it watches, resolved in its database.</summary>
/// <param name="Input">The input.</param>
/// <param name="Tables">Its tables.</param>
public sealed record InputTables(PostgresInputDefinition Input, IReadOnlyList<CapturedTable> Tables);

/// <summary>A watched table and its primary-key columns (empty when it has none).</summary>
/// <param name="Name">The table's name.</param>
/// <param name="KeyColumns">Its primary-key columns, in key order.</param>
public sealed record CapturedTable(string Name, IReadOnlyList<string> KeyColumns);

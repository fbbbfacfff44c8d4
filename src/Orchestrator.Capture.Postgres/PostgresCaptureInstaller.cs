using Npgsql;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Capture.Postgres.Filters;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Checks Postgres inputs and their links' filters against their databases and installs their capture: the event
/// log, the trigger function and the triggers of each watched table (<see cref="CaptureTriggerPlan"/>). Every input
/// is checked before any database is changed; each database is then changed in one transaction under an advisory
/// lock, and installing twice changes nothing.
/// </summary>
/// <param name="connections">The database of each input.</param>
/// <param name="queueCount">How many queues the event log is split into: the stream provider's queue count.</param>
public sealed class PostgresCaptureInstaller(InputConnections connections, int queueCount)
{
    // Taken by every installer of every Orchestrator version, so two hosts starting together install one at a time.
    private const long LockKey = 0x4f7263436170; // "OrcCap"

    private static readonly Lazy<string> SchemaScript = new(() =>
    {
        using var stream = typeof(PostgresCaptureInstaller).Assembly.GetManifestResourceStream("capture.sql")
            ?? throw new InvalidOperationException("The embedded capture.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>An installer for inputs that name their database or use <paramref name="defaultConnectionString"/> (a secret: never logged).</summary>
    public PostgresCaptureInstaller(string defaultConnectionString, int queueCount)
        : this(new InputConnections(defaultConnectionString), queueCount)
    {
    }

    /// <summary>
    /// Finds every input's tables in its database, and checks its links' filters against them, without changing
    /// anything. Throws <see cref="InvalidPipelineException"/> listing every invalid input or link, unknown schema,
    /// table or column, ill-typed filter and unreachable database.
    /// </summary>
    public async Task<IReadOnlyList<InputTables>> ValidateAsync(PipelineDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        var invalid = PipelineValidator.Validate(definition);
        if (invalid.Count > 0)
        {
            throw new InvalidPipelineException(invalid);
        }

        var inputs = definition.Inputs;
        var errors = inputs.Select(_ => new List<PipelineError>()).ToArray();
        var resolved = new InputTables?[inputs.Count];
        foreach (var i in Enumerable.Range(0, inputs.Count).Where(i => connections.Find(inputs[i]) is null))
        {
            errors[i].Add(new(PipelineErrorCode.UnknownSecret, $"inputs[{i}].connectionStringSecret",
                $"input '{inputs[i].Id}': {SecretSet.Missing(inputs[i].ConnectionStringSecret!)}"));
        }

        foreach (var database in Enumerable.Range(0, inputs.Count).Where(i => errors[i].Count == 0).GroupBy(i => connections.Of(inputs[i]), StringComparer.Ordinal))
        {
            await ResolveDatabaseAsync(database.Key, database.ToList(), definition, resolved, errors, cancellationToken);
        }

        var all = errors.SelectMany(e => e).ToList();
        return all.Count > 0 ? throw new InvalidPipelineException(all) : resolved.Select(r => r!).ToList();
    }

    /// <summary>Validates every input and link, then installs capture in each database, one transaction per database.</summary>
    public async Task InstallAsync(PipelineDefinition definition, CancellationToken cancellationToken)
    {
        var resolved = await ValidateAsync(definition, cancellationToken);
        foreach (var database in resolved.GroupBy(r => connections.Of(r.Input), StringComparer.Ordinal))
        {
            await InstallDatabaseAsync(database.Key, database.ToList(), cancellationToken);
        }
    }

    /// <summary>
    /// Removes the capture triggers of <paramref name="inputs"/> (inputs that are no longer declared) from their databases,
    /// one transaction per database under the installer's lock. Their events still in the event log are left to the
    /// readers, which delete the events no link consumes. An unreachable database is an error; nothing else is.
    /// </summary>
    public async Task RemoveAsync(IReadOnlyList<PostgresInputDefinition> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var database in inputs.GroupBy(connections.Of, StringComparer.Ordinal))
        {
            await using var connection = new NpgsqlConnection(database.Key);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, LockKey);
            foreach (var input in database)
            {
                foreach (var installed in await CaptureCatalog.ReadTriggersAsync(connection, transaction, SqlNames.TriggerNames(input.Id), cancellationToken))
                {
                    if (installed.IsCapture)
                    {
                        await ExecuteAsync(connection, transaction, CaptureTrigger.DropSql(installed.Name, installed.Schema, installed.Table), cancellationToken);
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task ResolveDatabaseAsync(
        string connectionString, List<int> indexes, PipelineDefinition definition, InputTables?[] resolved, List<PipelineError>[] errors, CancellationToken cancellationToken)
    {
        var inputs = definition.Inputs;
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
        }
        catch (ArgumentException)
        {
            indexes.ForEach(i => errors[i].Add(Unreachable(inputs[i], i, "its connection string is not valid")));
            return;
        }

        await using (connection)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                foreach (var i in indexes)
                {
                    if (await ResolveAsync(connection, inputs[i], $"inputs[{i}]", errors[i], cancellationToken) is { } tables)
                    {
                        resolved[i] = tables with { Filters = await LinkFilterTables.CompileAsync(connection, definition, tables, errors[i], cancellationToken) };
                    }
                }
            }
            catch (NpgsqlException e)
            {
                indexes.ForEach(i => errors[i].Add(Unreachable(inputs[i], i, e.Message)));
            }
        }
    }

    private static PipelineError Unreachable(PostgresInputDefinition input, int index, string reason) =>
        new(PipelineErrorCode.Unreachable, $"inputs[{index}].connectionString", $"the database of input '{input.Id}' cannot be reached: {reason}");

    private static async Task<InputTables?> ResolveAsync(
        NpgsqlConnection connection, PostgresInputDefinition input, string path, List<PipelineError> errors, CancellationToken cancellationToken)
    {
        var existing = await CaptureCatalog.ReadSchemaAsync(connection, input.Schema, cancellationToken);
        if (existing is null)
        {
            errors.Add(new(PipelineErrorCode.UnknownSchema, path + ".schema", $"input '{input.Id}' watches schema '{input.Schema}', which does not exist"));
            return null;
        }

        if (input.Tables is null)
        {
            var all = existing.Values.Where(t => !t.IsPartition).OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new CapturedTable(t.Name, t.KeyColumns)).ToList();
            if (all.Count == 0)
            {
                errors.Add(new(PipelineErrorCode.UnknownSchema, path + ".schema", $"input '{input.Id}' watches every table of schema '{input.Schema}', which has no tables"));
            }

            return new InputTables(input, all);
        }

        var tables = new List<CapturedTable>();
        for (var t = 0; t < input.Tables.Count; t++)
        {
            var name = input.Tables[t];
            if (existing.TryGetValue(name, out var table))
            {
                if (tables.All(c => c.Name != name))
                {
                    tables.Add(new CapturedTable(name, table.KeyColumns));
                }
            }
            else
            {
                errors.Add(new(PipelineErrorCode.UnknownTable, $"{path}.tables[{t}]",
                    $"input '{input.Id}' watches table '{name}', which does not exist in schema '{input.Schema}'"));
            }
        }

        return new InputTables(input, tables);
    }

    private async Task InstallDatabaseAsync(string connectionString, List<InputTables> inputs, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SET LOCAL standard_conforming_strings = on", cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, LockKey);
        await ExecuteAsync(connection, transaction, SchemaScript.Value, cancellationToken);

        // Events logged under another queue count would wait for a queue nobody reads.
        await ExecuteAsync(connection, transaction, "UPDATE orchestrator.event_log SET queue_id = queue_id % $1 WHERE queue_id >= $1", cancellationToken, queueCount);
        foreach (var input in inputs)
        {
            await InstallInputAsync(connection, transaction, input, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task InstallInputAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InputTables input, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<ChangeOperation> operations = input.Input.Operations is { } declared
            ? declared.Select(o => ChangeOperations.TryParse(o, out var op) ? op : throw new InvalidOperationException($"'{o}' was validated as an operation.")).ToHashSet()
            : [.. ChangeOperations.All];
        var wanted = CaptureTriggerPlan.For(input, operations, queueCount);
        var installed = await CaptureCatalog.ReadTriggersAsync(connection, transaction, SqlNames.TriggerNames(input.Input.Id), cancellationToken);

        foreach (var stale in installed.Where(i => i.IsCapture && !wanted.Any(w => w.IsAt(i))))
        {
            await ExecuteAsync(connection, transaction, CaptureTrigger.DropSql(stale.Name, stale.Schema, stale.Table), cancellationToken);
        }

        foreach (var trigger in wanted.Where(w => !installed.Any(w.IsSatisfiedBy)))
        {
            await ExecuteAsync(connection, transaction, trigger.CreateSql(), cancellationToken);
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
}

using Npgsql;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres;

/// <summary>What a database's catalog says about the tables to watch and the capture triggers already there.</summary>
internal static class CaptureCatalog
{
    /// <summary>
    /// The ordinary and partitioned tables of <paramref name="schema"/> by name, with their primary keys; null when
    /// the schema does not exist.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, CatalogTable>?> ReadSchemaAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname::text, c.relispartition,
                   ARRAY(SELECT a.attname::text
                           FROM pg_index i
                          CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          WHERE i.indrelid = c.oid AND i.indisprimary
                          ORDER BY k.ord)
              FROM pg_namespace n
              LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
             WHERE n.nspname = $1
            """,
            connection);
        command.Parameters.AddWithValue(schema);
        var tables = new Dictionary<string, CatalogTable>(StringComparer.Ordinal);
        var schemaExists = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            schemaExists = true;
            if (!reader.IsDBNull(0))
            {
                var name = reader.GetString(0);
                tables[name] = new CatalogTable(name, reader.GetBoolean(1), reader.GetFieldValue<string[]>(2));
            }
        }

        return schemaExists ? tables : null;
    }

    /// <summary>The columns of a table, in order; null when it does not exist.</summary>
    public static async Task<IReadOnlyList<string>?> ReadColumnsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.oid IS NOT NULL,
                   ARRAY(SELECT a.attname::text FROM pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
              FROM (SELECT 1) one
              LEFT JOIN pg_class c ON c.relkind IN ('r', 'p')
                   AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND c.relname = $2
            """,
            connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(0) ? reader.GetFieldValue<string[]>(1) : null;
    }

    /// <summary>
    /// The tables among <paramref name="tables"/> that exist in <paramref name="schema"/>, with each column's name and
    /// how a link filter compares it (from its type; a domain or array is <see cref="FilterColumnType.Other"/>).
    /// </summary>
    public static async Task<List<FilterTable>> ReadFilterTablesAsync(NpgsqlConnection connection, string schema, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL)
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind IN ('r', 'p')
             ORDER BY c.relname, a.attnum
            """,
            connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(tables.ToArray());
        var columns = new Dictionary<string, Dictionary<string, FilterColumnType>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            if (!columns.TryGetValue(table, out var found))
            {
                columns[table] = found = new Dictionary<string, FilterColumnType>(StringComparer.Ordinal);
            }

            found[reader.GetString(1)] = FilterTypeOf(reader.GetString(2));
        }

        return columns.Select(c => new FilterTable(c.Key, c.Value)).ToList();
    }

    private static FilterColumnType FilterTypeOf(string type) => type switch
    {
        "smallint" or "integer" or "bigint" or "numeric" => FilterColumnType.Numeric,
        "real" => FilterColumnType.Real,
        "double precision" => FilterColumnType.DoublePrecision,
        "text" or "character varying" or "name" => FilterColumnType.Text,
        "boolean" => FilterColumnType.Boolean,
        "timestamp without time zone" => FilterColumnType.Timestamp,
        "timestamp with time zone" => FilterColumnType.TimestampTz,
        _ => FilterColumnType.Other,
    };

    /// <summary>Every trigger named one of <paramref name="triggerNames"/> in the database (clones on partitions excluded).</summary>
    public static async Task<List<InstalledTrigger>> ReadTriggersAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> triggerNames, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT n.nspname::text, c.relname::text, t.tgtype::int, t.tgargs, t.tgenabled = 'O',
                   t.tgfoid = '{SqlNames.Function}()'::regprocedure, t.tgname::text, obj_description(t.oid, 'pg_trigger')
              FROM pg_trigger t
              JOIN pg_class c ON c.oid = t.tgrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE t.tgname = ANY($1) AND t.tgparentid = 0
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(triggerNames.ToArray());
        var triggers = new List<InstalledTrigger>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            triggers.Add(new InstalledTrigger(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                SplitArguments(reader.GetFieldValue<byte[]>(3)),
                reader.GetBoolean(4),
                reader.GetBoolean(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return triggers;
    }

    // pg_trigger.tgargs holds each argument followed by a NUL byte.
    private static List<string> SplitArguments(byte[] raw)
    {
        var arguments = new List<string>();
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == 0)
            {
                arguments.Add(System.Text.Encoding.UTF8.GetString(raw, start, i - start));
                start = i + 1;
            }
        }

        return arguments;
    }
}

/// <summary>A table as the catalog describes it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="IsPartition">Whether it is a partition (captured through its parent's trigger).</param>
/// <param name="KeyColumns">Its primary-key columns in key order.</param>
internal sealed record CatalogTable(string Name, bool IsPartition, IReadOnlyList<string> KeyColumns);

/// <summary>A trigger found in the catalog.</summary>
/// <param name="Schema">The schema of its table.</param>
/// <param name="Table">Its table.</param>
/// <param name="Type">Its <c>tgtype</c> bits (row, timing, events).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Enabled">Whether it fires in the default replication role.</param>
/// <param name="IsCapture">Whether it runs the capture function.</param>
/// <param name="Name">Its name.</param>
/// <param name="Comment">Its comment: the condition of its <c>WHEN</c> when the installer set one.</param>
internal sealed record InstalledTrigger(string Schema, string Table, int Type, IReadOnlyList<string> Arguments, bool Enabled, bool IsCapture, string Name, string? Comment);

using Npgsql;
using Orchestrator.Abstractions.Backfills;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>The backfills of one database (<c>orchestrator.backfills</c>): create, find and list them.</summary>
internal sealed class BackfillStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, input_id, schema_name, table_name, filter, links, rows_done, status, error, created_at, updated_at, finished_at";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Creates the backfills in one transaction and returns them as created.</summary>
    public async Task<List<BackfillProgress>> CreateAsync(IReadOnlyList<BackfillPlan> plans, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = new List<BackfillProgress>();
        foreach (var plan in plans)
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO orchestrator.backfills (id, input_id, schema_name, table_name, key_columns, filter, links, page_size)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING {Columns}
                """,
                connection,
                transaction);
            command.Parameters.AddWithValue(plan.Id);
            command.Parameters.AddWithValue(plan.Input);
            command.Parameters.AddWithValue(plan.Schema);
            command.Parameters.AddWithValue(plan.Table);
            command.Parameters.AddWithValue(plan.KeyColumns.ToArray());
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)plan.Where ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(LinksParameter(plan.Links));
            command.Parameters.AddWithValue(plan.PageSize);
            created.AddRange(await ReadAllAsync(command, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>A backfill's links as a <c>text[]</c> parameter, null for every link.</summary>
    public static NpgsqlParameter LinksParameter(IReadOnlyList<string>? links) =>
        new() { Value = (object?)links?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text };

    /// <summary>The backfill with this id, or null.</summary>
    public async Task<BackfillProgress?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"SELECT {Columns} FROM orchestrator.backfills WHERE id = $1");
        command.Parameters.AddWithValue(id);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Every backfill of the database, newest first.</summary>
    public async Task<List<BackfillProgress>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"SELECT {Columns} FROM orchestrator.backfills ORDER BY created_at DESC, id");
        return await ReadAllAsync(command, cancellationToken);
    }

    private static async Task<List<BackfillProgress>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var found = new List<BackfillProgress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new BackfillProgress
            {
                Id = reader.GetString(0),
                Input = reader.GetString(1),
                Schema = reader.GetString(2),
                Table = reader.GetString(3),
                Where = reader.IsDBNull(4) ? null : reader.GetString(4),
                Links = reader.IsDBNull(5) ? null : reader.GetFieldValue<string[]>(5),
                RowsDone = reader.GetInt64(6),
                Status = Enum.Parse<BackfillStatus>(reader.GetString(7), ignoreCase: true),
                Error = reader.IsDBNull(8) ? null : reader.GetString(8),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                FinishedAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            });
        }

        return found;
    }
}

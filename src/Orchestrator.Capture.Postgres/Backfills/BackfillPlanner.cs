using Npgsql;
using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// Checks a backfill request against the pipelines and the input's database, before anything is created: the input,
/// its table(s), the links, the primary key, the filter's syntax and columns, and that Postgres accepts the filter's
/// literals for their columns. Every problem is a <see cref="BackfillRefusedException"/>.
/// </summary>
internal sealed class BackfillPlanner(IPipelineGraph graph, BackfillOptions options, BackfillDatabases databases, InputConnections connections)
{
    /// <summary>The largest page: one page is one transaction that share-locks its rows.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>One plan per table the request reads, all in the input's database.</summary>
    public async Task<List<BackfillPlan>> PlanAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await graph.RefreshAsync(cancellationToken);
        var input = catalog.FindInput(request.Input) ?? throw Refused(BackfillErrorCode.UnknownInput, $"no input has the id '{request.Input}'");
        var pageSize = request.PageSize ?? options.PageSize;
        if (pageSize is <= 0 or > MaxPageSize)
        {
            throw Refused(BackfillErrorCode.InvalidPageSize, $"the page size must be 1 to {MaxPageSize}, not {pageSize}");
        }

        var links = LinksOf(catalog, input, request.Links);
        var where = string.IsNullOrWhiteSpace(request.Where) ? null : request.Where;
        var filter = where is null ? null : Parsed(where);
        var connectionString = ConnectionStringOf(input);
        await using var connection = await databases.For(connectionString).DataSource.OpenConnectionAsync(cancellationToken);
        var schema = await CaptureCatalog.ReadSchemaAsync(connection, input.Schema, cancellationToken) ?? new Dictionary<string, CatalogTable>();
        var plans = new List<BackfillPlan>();
        foreach (var table in TablesOf(input, request.Table, schema))
        {
            if (table.KeyColumns.Count == 0)
            {
                throw Refused(BackfillErrorCode.NoPrimaryKey, $"table '{input.Schema}.{table.Name}' has no primary key, so a backfill could not resume where it stopped");
            }

            if (filter is not null)
            {
                await ProbeAsync(connection, input.Schema, table.Name, filter, cancellationToken);
            }

            plans.Add(new BackfillPlan($"bf-{Guid.NewGuid():N}", connectionString, input.Id, input.Schema, table.Name, table.KeyColumns, where, links, pageSize));
        }

        return plans.Count > 0 ? plans : throw Refused(BackfillErrorCode.UnknownTable, $"input '{input.Id}' watches no table");
    }

    /// <summary>The database of <paramref name="input"/>.</summary>
    public string ConnectionStringOf(PostgresInputDefinition input) => connections.Of(input);

    private static List<string>? LinksOf(PipelineCatalog catalog, PostgresInputDefinition input, IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return null;
        }

        foreach (var id in requested)
        {
            if (catalog.FindLink(id) is not { } link)
            {
                throw Refused(BackfillErrorCode.UnknownLink, $"no link has the id '{id}'");
            }

            if (link.Input != input.Id)
            {
                throw Refused(BackfillErrorCode.UnknownLink, $"link '{id}' consumes input '{link.Input}', not '{input.Id}'");
            }
        }

        return requested.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<CatalogTable> TablesOf(PostgresInputDefinition input, string? requested, IReadOnlyDictionary<string, CatalogTable> schema)
    {
        var watched = input.Tables ?? schema.Values.Where(t => !t.IsPartition).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        if (requested is null)
        {
            return watched.Select(name => schema.GetValueOrDefault(name) ?? throw Refused(BackfillErrorCode.UnknownTable, $"table '{input.Schema}.{name}' does not exist"));
        }

        return watched.Contains(requested, StringComparer.Ordinal) && schema.TryGetValue(requested, out var table)
            ? [table]
            : throw Refused(BackfillErrorCode.UnknownTable, $"input '{input.Id}' does not watch a table '{requested}' in schema '{input.Schema}'");
    }

    private static FilterExpression Parsed(string where)
    {
        try
        {
            return FilterParser.Parse(where);
        }
        catch (InvalidFilterException e)
        {
            throw new BackfillRefusedException(BackfillErrorCode.InvalidFilter, "invalid filter: " + e.Message, e.Position);
        }
    }

    // Compiles the filter against the table's real columns and lets Postgres bind its literals once, reading nothing.
    private static async Task ProbeAsync(NpgsqlConnection connection, string schema, string table, FilterExpression filter, CancellationToken cancellationToken)
    {
        var columns = await CaptureCatalog.ReadColumnsAsync(connection, schema, table, cancellationToken) ?? [];
        await using var command = new NpgsqlCommand { Connection = connection };
        try
        {
            var condition = BackfillFilter.Compile(filter, columns, command);
            command.CommandText = $"SELECT FROM {SqlNames.Table(schema, table)} t WHERE {condition} LIMIT 0";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (InvalidFilterException e)
        {
            throw new BackfillRefusedException(BackfillErrorCode.InvalidFilter, $"invalid filter for table '{schema}.{table}': {e.Message}", e.Position);
        }
        catch (PostgresException e)
        {
            throw Refused(BackfillErrorCode.FilterRejected, $"the database refuses the filter for table '{schema}.{table}': {e.MessageText}");
        }
    }

    private static BackfillRefusedException Refused(BackfillErrorCode code, string message) => new(code, message);
}

using System.Collections.Concurrent;
using Npgsql;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Filters;

/// <summary>
/// A silo's compiled link filters: the first event of a link compiles its filter against its input's tables, read
/// once from the input's database; later events reuse it until the link or input definition changes. A failed
/// compile is not kept, so the next delivery tries again.
/// </summary>
/// <param name="connections">The database of each input.</param>
public sealed class PostgresLinkFilters(InputConnections connections) : ILinkFilters
{
    private readonly ConcurrentDictionary<string, Compiled> _compiled = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<LinkEventFilter?> GetAsync(LinkDefinition link, PostgresInputDefinition input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(input);
        if (link.Filter is null)
        {
            return null;
        }

        if (_compiled.TryGetValue(link.Id, out var found) && found.Link == link && found.Input == input)
        {
            return found.Filter;
        }

        await using var connection = new NpgsqlConnection(connections.Of(input));
        await connection.OpenAsync(cancellationToken);
        var filter = await LinkFilterTables.CompileAsync(connection, link, input, cancellationToken);
        _compiled[link.Id] = new Compiled(link, input, filter);
        return filter;
    }

    private sealed record Compiled(LinkDefinition Link, PostgresInputDefinition Input, LinkEventFilter? Filter);
}

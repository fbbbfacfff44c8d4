using Npgsql;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Filters;

/// <summary>Compiles links' filters against their input's tables as the input's database describes them.</summary>
internal static class LinkFilterTables
{
    /// <summary>
    /// The compiled filters of <paramref name="input"/>'s links in <paramref name="definition"/> when every one of them
    /// filters, else null; every problem of any of them goes to <paramref name="errors"/>.
    /// </summary>
    public static async Task<IReadOnlyList<LinkEventFilter>?> CompileAsync(
        NpgsqlConnection connection, PipelineDefinition definition, InputTables input, List<PipelineError> errors, CancellationToken cancellationToken)
    {
        var links = Enumerable.Range(0, definition.Links.Count).Where(i => definition.Links[i].Input == input.Input.Id).ToList();
        if (!links.Any(i => definition.Links[i].Filter is not null))
        {
            return null;
        }

        var tables = await CaptureCatalog.ReadFilterTablesAsync(connection, input.Input.Schema, input.Tables.Select(t => t.Name).ToList(), cancellationToken);
        var compiled = links.Select(i => LinkFilterCompiler.Compile(definition.Links[i], $"links[{i}]", tables, errors)).ToList();
        return compiled.All(f => f is not null) ? compiled.Select(f => f!).ToList() : null;
    }

    /// <summary>One link's filter on <paramref name="input"/>'s tables, for a silo; throws <see cref="InvalidPipelineException"/> when they no longer fit.</summary>
    public static async Task<LinkEventFilter?> CompileAsync(NpgsqlConnection connection, LinkDefinition link, PostgresInputDefinition input, CancellationToken cancellationToken)
    {
        var names = input.Tables
            ?? (await CaptureCatalog.ReadSchemaAsync(connection, input.Schema, cancellationToken))?.Values.Where(t => !t.IsPartition).Select(t => t.Name).ToList()
            ?? [];
        var errors = new List<PipelineError>();
        var filter = LinkFilterCompiler.Compile(link, $"links[{link.Id}]", await CaptureCatalog.ReadFilterTablesAsync(connection, input.Schema, names, cancellationToken), errors);
        return errors.Count > 0 ? throw new InvalidPipelineException(errors) : filter;
    }
}

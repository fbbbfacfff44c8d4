using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Filters;

/// <summary>The compiled filters of links, for the silo: each compiled once (per link and definition) and cached.</summary>
public interface ILinkFilters
{
    /// <summary>
    /// The compiled filter of <paramref name="link"/> on <paramref name="input"/>'s tables; null when the link has
    /// none. Throws <see cref="InvalidPipelineException"/> when the tables no longer fit the filter.
    /// </summary>
    ValueTask<LinkEventFilter?> GetAsync(LinkDefinition link, PostgresInputDefinition input, CancellationToken cancellationToken);
}

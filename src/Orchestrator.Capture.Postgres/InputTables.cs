using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>An input with the tables it watches, as found in its database.</summary>
/// <param name="Input">The input.</param>
/// <param name="Tables">Its tables.</param>
public sealed record InputTables(PostgresInputDefinition Input, IReadOnlyList<CapturedTable> Tables)
{
    /// <summary>The compiled filters of its links when every link filters (then its triggers filter too); otherwise null.</summary>
    public IReadOnlyList<LinkEventFilter>? Filters { get; init; }
}

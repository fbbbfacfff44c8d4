namespace Orchestrator.Host.Http;

/// <summary>The body of <c>POST /api/inputs/{id}/backfill</c>; every field may be left out.</summary>
/// <param name="Table">One of the input's tables; absent for all of them.</param>
/// <param name="Where">A filter expression, e.g. <c>status = 'open' and amount &gt;= 10</c>.</param>
/// <param name="Links">The links the events are for; absent for every link of the input.</param>
/// <param name="PageSize">Rows per page; absent for the host's default.</param>
public sealed record BackfillBody(string? Table, string? Where, IReadOnlyList<string>? Links, int? PageSize);

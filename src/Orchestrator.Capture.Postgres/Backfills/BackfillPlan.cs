namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>A checked backfill of one table, ready to be created.</summary>
/// <param name="Id">Its id.</param>
/// <param name="ConnectionString">The database of its input (where its row and the event log are).</param>
/// <param name="Input">The input.</param>
/// <param name="Schema">The table's schema.</param>
/// <param name="Table">The table.</param>
/// <param name="KeyColumns">The table's primary-key columns, the order of the pages.</param>
/// <param name="Where">The filter text, or null.</param>
/// <param name="Links">The links the events are for, or null for all.</param>
/// <param name="PageSize">Rows per page.</param>
internal sealed record BackfillPlan(
    string Id, string ConnectionString, string Input, string Schema, string Table, IReadOnlyList<string> KeyColumns, string? Where, IReadOnlyList<string>? Links, int PageSize);

using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>How a compiled filter reads its columns and writes its literals.</summary>
internal interface IFilterSqlScope
{
    /// <summary>The SQL of a column's value; null when its row does not exist (an insert's old row, a delete's new row).</summary>
    string? Column(FilterColumn column);

    /// <summary>The SQL of a literal compared with <paramref name="column"/>.</summary>
    string Literal(FilterColumn column, FilterLiteral literal);

    /// <summary>The SQL of <c>changed(column)</c>.</summary>
    string Changed(FilterChanged changed);
}

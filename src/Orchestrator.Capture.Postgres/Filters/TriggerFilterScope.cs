using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Capture.Postgres.Backfills;

namespace Orchestrator.Capture.Postgres.Filters;

/// <summary>
/// How a link filter reads in the <c>WHEN</c> of one table's trigger for one operation: a bare column is NEW (OLD
/// for a delete), the row an operation lacks is null (an insert has no OLD, a delete no NEW), text compares
/// <c>COLLATE "C"</c>, other types go through <c>to_jsonb</c> as the silo reads them (so a jsonb <c>null</c> is
/// NULL, as it is in the event's row), and literals are quoted
/// and cast, since a <c>WHEN</c> takes no parameters. The same semantics as <see cref="LinkEventFilter"/>.
/// </summary>
internal sealed class TriggerFilterScope(FilterTable table, ChangeOperation operation) : IFilterSqlScope
{
    public string? Column(FilterColumn column)
    {
        var type = table.TypeOf(column);
        var row = column.Row switch
        {
            FilterRow.Old => operation == ChangeOperation.Insert ? null : "OLD",
            FilterRow.New => operation == ChangeOperation.Delete ? null : "NEW",
            _ => operation == ChangeOperation.Delete ? "OLD" : "NEW",
        };
        if (row is null)
        {
            return null;
        }

        var value = row + "." + SqlNames.Quote(column.Name);
        return type switch
        {
            FilterColumnType.Text => value + " COLLATE \"C\"",
            FilterColumnType.Other => $"nullif(to_jsonb({value}), 'null'::jsonb)",
            _ => value,
        };
    }

    public string Literal(FilterColumn column, FilterLiteral literal)
    {
        var type = table.TypeOf(column);
        return FilterValues.Sql(type, FilterValues.Literal(type, column, literal));
    }

    public string Changed(FilterChanged changed) => Changed(changed.Column);

    /// <summary><c>changed(column)</c>: IS DISTINCT FROM between the rows, or IS NOT NULL when one row is missing.</summary>
    public string Changed(FilterColumn column)
    {
        var other = table.TypeOf(column) == FilterColumnType.Other;
        var old = Column(column with { Row = FilterRow.Old });
        var @new = Column(column with { Row = FilterRow.New });
        return (old, @new) switch
        {
            (null, { } n) => $"({n} IS NOT NULL)",
            ({ } o, null) => $"({o} IS NOT NULL)",
            _ when other => $"(({old})::text IS DISTINCT FROM ({@new})::text)",
            _ => $"({old} IS DISTINCT FROM {@new})",
        };
    }
}

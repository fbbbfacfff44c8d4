namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// <c>changed(column)</c>: the old and new row's values differ, with <c>IS DISTINCT FROM</c> semantics (null and a
/// value differ, two nulls do not). The missing row of an insert or delete reads as nulls, so an insert changed every
/// column it set to a value. Never unknown.
/// </summary>
/// <param name="Column">The column, a bare name.</param>
/// <param name="Position">Where <c>changed</c> starts in the filter text.</param>
public sealed record FilterChanged(FilterColumn Column, int Position) : FilterExpression;

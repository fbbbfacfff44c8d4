namespace Orchestrator.Abstractions.Filters;

/// <summary>A column compared with a literal, e.g. <c>amount &gt;= 10</c>.</summary>
public sealed record FilterComparison(FilterColumn Column, FilterOperator Operator, FilterLiteral Value) : FilterExpression;

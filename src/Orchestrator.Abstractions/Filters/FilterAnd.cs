namespace Orchestrator.Abstractions.Filters;

/// <summary>Both operands hold.</summary>
public sealed record FilterAnd(FilterExpression Left, FilterExpression Right) : FilterExpression;

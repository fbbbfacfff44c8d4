namespace Orchestrator.Abstractions.Filters;

/// <summary>At least one operand holds.</summary>
public sealed record FilterOr(FilterExpression Left, FilterExpression Right) : FilterExpression;

namespace Orchestrator.Abstractions.Filters;

/// <summary>The operand does not hold (as in SQL, a comparison with a null column holds neither way).</summary>
public sealed record FilterNot(FilterExpression Operand) : FilterExpression;

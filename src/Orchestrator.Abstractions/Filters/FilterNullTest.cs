namespace Orchestrator.Abstractions.Filters;

/// <summary><c>column is null</c>, or <c>column is not null</c> when <paramref name="Negated"/>.</summary>
public sealed record FilterNullTest(FilterColumn Column, bool Negated) : FilterExpression;

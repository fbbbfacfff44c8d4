namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// A row filter parsed by <see cref="FilterParser"/>: a small language without SQL (comparisons of a column with a
/// literal, null tests, <c>in</c> lists, <c>and</c>, <c>or</c>, <c>not</c>). Compilers turn it into whatever the
/// database needs, checking the columns against the table and passing literals as parameters.
/// </summary>
public abstract record FilterExpression;

namespace Orchestrator.Abstractions.Filters;

/// <summary><c>column in (a, b, …)</c>, or <c>column not in (…)</c> when <paramref name="Negated"/>.</summary>
public sealed record FilterMembership(FilterColumn Column, IReadOnlyList<FilterLiteral> Values, bool Negated) : FilterExpression
{
    /// <inheritdoc />
    public bool Equals(FilterMembership? other) =>
        other is not null && Column == other.Column && Negated == other.Negated && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Column, Negated, Values.Count);
}

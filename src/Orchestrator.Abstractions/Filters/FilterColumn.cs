namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// A column named in a filter: an unquoted name folded to lower case (as Postgres does), or a double-quoted one
/// taken exactly, optionally qualified by the row it is read from (<c>old.status</c>, <c>new.status</c>).
/// </summary>
/// <param name="Name">The column's name.</param>
/// <param name="Position">Where the reference starts in the filter text (1 is the first character).</param>
/// <param name="Row">Which row of a change the column is read from; a bare name is <see cref="FilterRow.Event"/>.</param>
public sealed record FilterColumn(string Name, int Position, FilterRow Row = FilterRow.Event);

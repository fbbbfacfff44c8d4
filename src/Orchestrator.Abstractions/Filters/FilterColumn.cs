namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// A column named in a filter: an unquoted name folded to lower case (as Postgres does), or a double-quoted one
/// taken exactly.
/// </summary>
/// <param name="Name">The column's name.</param>
/// <param name="Position">Where the name starts in the filter text (1 is the first character).</param>
public sealed record FilterColumn(string Name, int Position);

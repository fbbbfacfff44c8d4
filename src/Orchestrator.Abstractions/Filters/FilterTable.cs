namespace Orchestrator.Abstractions.Filters;

/// <summary>A table as a link filter sees it: its columns and how each compares.</summary>
/// <param name="Name">The table's name.</param>
/// <param name="Columns">Its columns by exact name.</param>
public sealed record FilterTable(string Name, IReadOnlyDictionary<string, FilterColumnType> Columns)
{
    /// <summary>The type of <paramref name="column"/>; a column the table lacks is an <see cref="InvalidFilterException"/> at its position.</summary>
    public FilterColumnType TypeOf(FilterColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Columns.TryGetValue(column.Name, out var type)
            ? type
            : throw new InvalidFilterException($"table '{Name}' has no column '{column.Name}'", column.Position) { UnknownColumn = column.Name };
    }
}

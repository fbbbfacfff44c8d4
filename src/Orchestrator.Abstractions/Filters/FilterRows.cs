using System.Text.Json;

namespace Orchestrator.Abstractions.Filters;

/// <summary>The rows of one change a link filter reads: a missing row (an insert's old, a delete's new) is null.</summary>
/// <param name="Old">The row before the change.</param>
/// <param name="New">The row after the change.</param>
/// <param name="IsDelete">Whether the change is a delete, whose bare columns read the old row.</param>
internal readonly record struct FilterRows(JsonElement? Old, JsonElement? New, bool IsDelete)
{
    /// <summary>The JSON value of <paramref name="column"/>; null when its row is missing or it is SQL NULL.</summary>
    public JsonElement? Read(FilterColumn column)
    {
        var row = column.Row switch
        {
            FilterRow.Old => Old,
            FilterRow.New => New,
            _ => IsDelete ? Old : New,
        };
        return row is { } found && found.TryGetProperty(column.Name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }
}

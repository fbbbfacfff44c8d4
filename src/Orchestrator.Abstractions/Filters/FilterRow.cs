namespace Orchestrator.Abstractions.Filters;

/// <summary>Which row of a change a filter's column is read from.</summary>
public enum FilterRow
{
    /// <summary>
    /// A bare name: the event's row, that is the new row of an insert, an update or a backfill's read, and the old
    /// row of a delete. A backfill's filter has only this one.
    /// </summary>
    Event,

    /// <summary><c>old.name</c>: the row before the change; an insert (or read) has none, so every column of it is null.</summary>
    Old,

    /// <summary><c>new.name</c>: the row after the change; a delete has none, so every column of it is null.</summary>
    New,
}

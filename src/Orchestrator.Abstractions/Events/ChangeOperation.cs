namespace Orchestrator.Abstractions.Events;

/// <summary>The kind of row change a trigger captured, or <see cref="Read"/> for a row a backfill read as it is.</summary>
[GenerateSerializer]
[Alias("orchestrator.change-operation")]
public enum ChangeOperation
{
    /// <summary>A row was inserted (the "create" of the pipelines file).</summary>
    Insert = 0,

    /// <summary>A row was updated.</summary>
    Update = 1,

    /// <summary>A row was deleted.</summary>
    Delete = 2,

    /// <summary>An existing row read by a backfill (never captured by a trigger): the row is in the new row.</summary>
    Read = 3,
}

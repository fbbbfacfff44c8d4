namespace Orchestrator.Abstractions.Backfills;

/// <summary>One backfill as its row in <c>orchestrator.backfills</c> says.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.backfill-progress")]
public sealed record BackfillProgress
{
    /// <summary>The backfill's id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The input.</summary>
    [Id(1)] public required string Input { get; init; }

    /// <summary>The table's schema.</summary>
    [Id(2)] public required string Schema { get; init; }

    /// <summary>The table.</summary>
    [Id(3)] public required string Table { get; init; }

    /// <summary>The filter text, or null for every row.</summary>
    [Id(4)] public string? Where { get; init; }

    /// <summary>The links the events are for; null for every link of the input.</summary>
    [Id(5)] public IReadOnlyList<string>? Links { get; init; }

    /// <summary>Rows copied into the event log so far.</summary>
    [Id(6)] public long RowsDone { get; init; }

    /// <summary>Running, done or failed.</summary>
    [Id(7)] public BackfillStatus Status { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    [Id(8)] public string? Error { get; init; }

    /// <summary>When it was started.</summary>
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its last page was copied.</summary>
    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it finished (done or failed).</summary>
    [Id(11)] public DateTimeOffset? FinishedAt { get; init; }
}

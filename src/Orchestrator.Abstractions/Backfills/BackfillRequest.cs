namespace Orchestrator.Abstractions.Backfills;

/// <summary>What a backfill reads: the existing rows of an input's tables, as <c>read</c> events.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.backfill-request")]
public sealed record BackfillRequest
{
    /// <summary>The input whose rows are read.</summary>
    [Id(0)] public required string Input { get; init; }

    /// <summary>One of the input's tables; null reads every table of the input (one backfill per table).</summary>
    [Id(1)] public string? Table { get; init; }

    /// <summary>A filter in the filter language (e.g. <c>status = 'open' and amount &gt;= 10</c>); null reads every row.</summary>
    [Id(2)] public string? Where { get; init; }

    /// <summary>The links the events are for; null or empty is every link of the input.</summary>
    [Id(3)] public IReadOnlyList<string>? Links { get; init; }

    /// <summary>Rows per page (one transaction each); null uses the silo's default.</summary>
    [Id(4)] public int? PageSize { get; init; }
}

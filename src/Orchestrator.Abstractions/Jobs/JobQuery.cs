namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Which jobs to list, newest first (by creation, then id). Empty lists and nulls do not filter; values of one
/// list are alternatives (any of them), different filters all apply.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-query")]
public sealed record JobQuery
{
    /// <summary>The most jobs one page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only jobs of these links.</summary>
    [Id(0)] public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>Only jobs of these processes.</summary>
    [Id(1)] public IReadOnlyList<string> Processes { get; init; } = [];

    /// <summary>Only jobs of events of these inputs.</summary>
    [Id(2)] public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Only jobs of changes to these tables (names as the database spells them).</summary>
    [Id(3)] public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Only jobs in one of these statuses.</summary>
    [Id(4)] public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only jobs in none of these statuses.</summary>
    [Id(5)] public IReadOnlyList<JobStatus> ExcludedStatuses { get; init; } = [];

    /// <summary>Only jobs that started at least this many attempts.</summary>
    [Id(6)] public int? MinAttempts { get; init; }

    /// <summary>Only jobs created at or after this time.</summary>
    [Id(7)] public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    [Id(8)] public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only jobs of this event id.</summary>
    [Id(9)] public long? EventId { get; init; }

    /// <summary>The most jobs to return (1 to <see cref="MaxLimit"/>).</summary>
    [Id(10)] public int Limit { get; init; } = 50;

    /// <summary>Where the page starts: the <see cref="JobPage.NextCursor"/> of the page before; null for the first.</summary>
    [Id(11)] public string? Cursor { get; init; }

    /// <summary>What is wrong with the query, one line each; empty when it can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Limit is < 1 or > MaxLimit)
        {
            problems.Add($"limit is {Limit}; use 1 to {MaxLimit}");
        }

        if (MinAttempts < 0)
        {
            problems.Add($"minimum attempts is {MinAttempts}; use 0 or more");
        }

        if (CreatedFrom >= CreatedBefore)
        {
            problems.Add("the time range is empty: 'from' is not before 'until'");
        }

        foreach (var both in Statuses.Intersect(ExcludedStatuses))
        {
            problems.Add($"status '{both}' is both asked for and excluded");
        }

        return problems;
    }
}

/// <summary>One page of a job query, and where the next one starts (null: this is the last).</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-page")]
public sealed record JobPage(
    [property: Id(0)] IReadOnlyList<JobSummary> Jobs,
    [property: Id(1)] string? NextCursor);

/// <summary>How many jobs of a link are in a status.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-status-count")]
public sealed record JobStatusCount(
    [property: Id(0)] string LinkId,
    [property: Id(1)] JobStatus Status,
    [property: Id(2)] long Count);

/// <summary>
/// How many events of a link made no job: <paramref name="Filtered"/> its filter kept out, <paramref name="Skipped"/>
/// reached a silo after the link was removed from the graph.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.link-event-count")]
public sealed record LinkEventCount(
    [property: Id(0)] string LinkId,
    [property: Id(1)] long Filtered,
    [property: Id(2)] long Skipped);

/// <summary>Each link's jobs per status, and the events of each link that made no job.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-counts")]
public sealed record JobCounts(
    [property: Id(0)] IReadOnlyList<JobStatusCount> Statuses,
    [property: Id(1)] IReadOnlyList<LinkEventCount> Events);

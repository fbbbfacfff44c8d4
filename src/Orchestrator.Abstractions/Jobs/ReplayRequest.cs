namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// What to replay: the finished jobs of a link in <see cref="Statuses"/>, created in a time range. Jobs created
/// after the replay starts (its own new jobs among them) are never selected. One job is replayed by asking it
/// (<c>IJobGrain.ReplayAsync</c>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.replay-request")]
public sealed record ReplayRequest
{
    /// <summary>The link whose jobs are replayed.</summary>
    [Id(1)] public string LinkId { get; init; } = "";

    /// <summary>The statuses selected (finished ones only); empty means failed and discarded.</summary>
    [Id(2)] public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only jobs created at or after this time.</summary>
    [Id(3)] public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    [Id(4)] public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>New attempts of the same jobs, or new jobs marked replay-of.</summary>
    [Id(5)] public ReplayMode Mode { get; init; } = ReplayMode.NewJobs;

    /// <summary>Who asked, as the replayed jobs' history records it.</summary>
    [Id(6)] public string RequestedBy { get; init; } = "";

    /// <summary>The statuses a link's replay selects: <see cref="Statuses"/>, or failed and discarded.</summary>
    public IReadOnlyList<JobStatus> SelectedStatuses => Statuses.Count > 0 ? Statuses : [JobStatus.Failed, JobStatus.Discarded];

    /// <summary>What is wrong with the request; empty when it can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(LinkId))
        {
            problems.Add("name the link whose jobs to replay");
        }

        if (string.IsNullOrWhiteSpace(RequestedBy))
        {
            problems.Add("say who asks for the replay");
        }

        foreach (var unfinished in Statuses.Where(s => !s.IsTerminal()).Distinct())
        {
            problems.Add($"only finished jobs are replayed, not {unfinished.ToString().ToLowerInvariant()} ones");
        }

        if (Mode == ReplayMode.NewAttempts && SelectedStatuses.Contains(JobStatus.Succeeded))
        {
            problems.Add("a succeeded job gets no new attempt; replay it as a new job instead");
        }

        if (CreatedFrom is { } from && CreatedBefore is { } before && from >= before)
        {
            problems.Add("the time range is empty: its start is not before its end");
        }

        return problems;
    }
}

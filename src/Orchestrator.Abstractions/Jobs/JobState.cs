using System.Text.Json.Serialization;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// The persisted record of one job: the event that caused it, its append-only transitions and one run per attempt.
/// Only the job grain changes it, through its lifecycle class.
/// </summary>
[GenerateSerializer]
[Alias("orchestrator.job-state")]
public sealed class JobState
{
    /// <summary>The job's id (its grain key).</summary>
    [Id(0)] public string JobId { get; set; } = "";

    /// <summary>The link that created the job.</summary>
    [Id(1)] public string LinkId { get; set; } = "";

    /// <summary>The process the job runs.</summary>
    [Id(2)] public string ProcessId { get; set; } = "";

    /// <summary>The captured change the job is for; null only before the job is acknowledged.</summary>
    [Id(3)] public CapturedEvent? Event { get; set; }

    /// <summary>The current status (the last transition's).</summary>
    [Id(4)] public JobStatus Status { get; set; }

    /// <summary>Every status the job entered, oldest first. Entries are only ever appended.</summary>
    [Id(5)] public List<JobTransition> Transitions { get; set; } = [];

    /// <summary>How many attempts have started.</summary>
    [Id(6)] public int Attempts { get; set; }

    /// <summary>One entry per attempt, oldest first.</summary>
    [Id(7)] public List<JobRun> Runs { get; set; } = [];

    /// <summary>When the awaited retry may start; null when the job is not waiting for a retry.</summary>
    [Id(8)] public DateTimeOffset? RetryAt { get; set; }

    /// <summary>
    /// The attempts made before the last manual retry: the retry policy counts only the attempts after it, so a
    /// manually retried job gets its policy's attempts again.
    /// </summary>
    [Id(9)] public int AttemptsBeforeRedrive { get; set; }

    /// <summary>The job this one re-runs, when it was made by a replay; null for a job of a captured event.</summary>
    [Id(10)] public string? ReplayOf { get; set; }

    /// <summary>
    /// The replays that re-ran this job (as a new attempt, or as a new job marked replay-of it), oldest first; a
    /// replay cut off and carried on by another silo finds here that it has done this job already.
    /// </summary>
    [Id(11)] public List<string> Replays { get; set; } = [];

    /// <summary>
    /// The row the job is for when its link runs a row's jobs in order (the event's row key); null for parallel links,
    /// replay copies and jobs recorded before issue 9. Such a job runs only after the row's earlier jobs succeeded or
    /// were discarded.
    /// </summary>
    [Id(12)] public string? RowKey { get; set; }

    /// <summary>The ids of the later events of the row this job absorbed while it waited (a coalescing link), oldest first.</summary>
    [Id(13)] public List<long> Absorbed { get; set; } = [];

    /// <summary>The latest event it absorbed, whose row image its attempts run with; null when it absorbed none.</summary>
    [Id(14)] public CapturedEvent? LatestEvent { get; set; }

    /// <summary>The event an attempt runs with: the latest absorbed one, else the job's own.</summary>
    [JsonIgnore]
    public CapturedEvent? RunEvent => LatestEvent ?? Event;
}

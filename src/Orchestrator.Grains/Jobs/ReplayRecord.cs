using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The persisted state of a replay: its request, the bound and cursor of the pages it walks, and its counts. The
/// cursor and the counts are written together after each page, so a replay carried on after a crash repeats at
/// most its last page, whose jobs remember the replay and are not re-run. Plain settable members only: Orleans'
/// ADO.NET storage writes it as JSON.
/// </summary>
[GenerateSerializer]
[Alias("orchestrator.replay-record")]
public sealed class ReplayRecord
{
    /// <summary>The link whose jobs are replayed.</summary>
    [Id(0)] public string LinkId { get; set; } = "";

    /// <summary>The statuses selected (as asked: empty means failed and discarded).</summary>
    [Id(8)] public List<JobStatus> Statuses { get; set; } = [];

    /// <summary>Only jobs created at or after this time.</summary>
    [Id(9)] public DateTimeOffset? CreatedFrom { get; set; }

    /// <summary>Only jobs created before this time.</summary>
    [Id(10)] public DateTimeOffset? CreatedBefore { get; set; }

    /// <summary>New jobs or new attempts.</summary>
    [Id(11)] public ReplayMode Mode { get; set; }

    /// <summary>Who asked.</summary>
    [Id(12)] public string RequestedBy { get; set; } = "";

    /// <summary>Running or done.</summary>
    [Id(1)] public ReplayStatus Status { get; set; }

    /// <summary>How many jobs matched when the replay started.</summary>
    [Id(2)] public long Selected { get; set; }

    /// <summary>How many were replayed.</summary>
    [Id(3)] public long Replayed { get; set; }

    /// <summary>How many refused (no longer finished, process no longer declared).</summary>
    [Id(4)] public long Skipped { get; set; }

    /// <summary>When it started; no job created after it is selected.</summary>
    [Id(5)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the last page was done.</summary>
    [Id(6)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Where the next page of a link's jobs starts; null before the first.</summary>
    [Id(7)] public string? Cursor { get; set; }

    /// <summary>What was asked, as the caller asked it.</summary>
    public ReplayRequest Request() => new()
    {
        LinkId = LinkId,
        Statuses = Statuses,
        CreatedFrom = CreatedFrom,
        CreatedBefore = CreatedBefore,
        Mode = Mode,
        RequestedBy = RequestedBy,
    };

    /// <summary>The progress a caller sees.</summary>
    public ReplayProgress Progress(string replayId) =>
        new(replayId, Request(), Status, Selected, Replayed, Skipped, StartedAt, FinishedAt);
}

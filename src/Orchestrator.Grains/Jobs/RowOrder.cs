using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The per-row ordering and coalescing decisions of a job (issue 9), without I/O: which jobs are ordered, when one
/// releases its row, and when a waiting job may absorb a later change of its row. The job grain asks the job table
/// (<c>RowJobs</c>) the questions and acts on these answers.
/// </summary>
public static class RowOrder
{
    /// <summary>
    /// The row key a new job records: its event's, when <paramref name="link"/> runs a row's jobs in order and the job
    /// is not a replay copy (a replay runs when asked, outside its row's order); otherwise null (not ordered).
    /// </summary>
    public static string? RowKeyFor(LinkDefinition? link, JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return link is { OrdersRows: true } && request.ReplayOf is null ? request.Event.RowKey : null;
    }

    /// <summary>True when a new job of <paramref name="request"/> may be absorbed by the waiting job before it in its row.</summary>
    public static bool Coalesces(LinkDefinition? link, JobRequest request) =>
        link is { Coalesce: true } && RowKeyFor(link, request) is not null;

    /// <summary>
    /// True when the job may absorb a later event of its row: it waits and has never started an attempt (a job that
    /// ran once, or waits for a retry, keeps the image it ran with).
    /// </summary>
    public static bool CanAbsorb(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.RowKey is not null && job.Status == JobStatus.Awaiting && job.Attempts == 0 && job.RetryAt is null;
    }

    /// <summary>
    /// True when the job's status releases its row to the next job: it succeeded or was discarded (a cancelled job is
    /// discarded). A failed job holds the row until it is retried to success, or cancelled.
    /// </summary>
    public static bool ReleasesRow(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.RowKey is not null && job.Status is JobStatus.Succeeded or JobStatus.Discarded;
    }

    /// <summary>True when the job must find its row free (no earlier job unresolved) before it asks for a slot.</summary>
    public static bool WaitsForRow(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.RowKey is not null && job.Status == JobStatus.Awaiting;
    }
}

using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres;

/// <summary>The indexed columns of a job record and its document, as one write stores them.</summary>
internal sealed record JobRow(
    string JobId,
    string LinkId,
    string ProcessId,
    string InputId,
    string SchemaName,
    string TableName,
    long EventId,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    long? LastExitCode,
    string? ReplayOf,
    string? RowKey,
    string Record)
{
    /// <summary>The row of <paramref name="job"/>, stored under <paramref name="jobId"/> (its grain key).</summary>
    public static JobRow Of(string jobId, JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var summary = JobSummary.Of(job);
        return new JobRow(
            jobId,
            job.LinkId,
            job.ProcessId,
            job.Event?.InputId ?? "",
            job.Event?.Schema ?? "",
            job.Event?.Table ?? "",
            summary.EventId,
            StatusName(job.Status),
            job.Attempts,
            summary.CreatedAt,
            summary.UpdatedAt,
            job.Status.IsTerminal() ? summary.UpdatedAt : null,
            summary.LastExitCode,
            job.ReplayOf,
            job.RowKey,
            JobDocument.Serialize(job));
    }

    /// <summary>The status as the <c>status</c> column holds it.</summary>
    public static string StatusName(JobStatus status) => status switch
    {
        JobStatus.Acknowledged => "acknowledged",
        JobStatus.Awaiting => "awaiting",
        JobStatus.Executing => "executing",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Discarded => "discarded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a job status"),
    };

    /// <summary>The status a <c>status</c> column value names.</summary>
    public static JobStatus ParseStatus(string name) =>
        Enum.Parse<JobStatus>(name, ignoreCase: true);
}

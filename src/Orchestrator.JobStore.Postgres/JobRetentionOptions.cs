namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// How long finished job records stay in <c>orchestrator.jobs</c>, per status, counted from when the job finished.
/// An age of zero keeps that status for ever. Unfinished jobs are never pruned, however old.
/// </summary>
public sealed class JobRetentionOptions
{
    /// <summary>The longest an age may be (it is subtracted from now).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(36_500);

    /// <summary>How long a succeeded job is kept (River keeps completed jobs 24 h, Hangfire succeeded ones 1 day).</summary>
    public TimeSpan SucceededAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a failed job is kept: a failure no retry policy covered, waiting for someone to look at it or retry
    /// it, so the longest of the three by default.
    /// </summary>
    public TimeSpan FailedAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a discarded job (attempts exhausted, discarded by its exit code, or cancelled) is kept; River keeps discarded jobs 7 days.</summary>
    public TimeSpan DiscardedAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The time between two sweeps.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most records one delete statement removes; each statement is its own short transaction.</summary>
    public int BatchSize { get; set; } = 1000;
}

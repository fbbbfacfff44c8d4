using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// One job: the record of what one event caused on one link. Keyed by <see cref="JobKeys.For"/>, so the same event
/// delivered twice reaches the same grain and makes no second job.
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the job for <paramref name="request"/> durably (once; later calls change nothing) and schedules its
    /// run. Returns when the record is persisted; the run happens in the background of the activation.
    /// </summary>
    Task<JobSummary> AcknowledgeAsync(JobRequest request);

    /// <summary>
    /// Called by the process's concurrency gate when this job may start its attempt. One-way: the gate never waits
    /// for a job, so a job asking the gate for a slot at the same moment cannot deadlock with it.
    /// </summary>
    [OneWay]
    Task StartAsync();

    /// <summary>
    /// Cancels a job that has not finished: a waiting job is discarded at once; a running attempt's container is
    /// stopped (SIGTERM, then SIGKILL after the process's grace) and the job discarded when it has exited. The
    /// final transition names <paramref name="requestedBy"/>. A failed job is discarded too (so that it releases its
    /// row, on a per-row link). Refused for a job that succeeded or was discarded.
    /// </summary>
    Task<JobCommandResult> CancelAsync(string requestedBy);

    /// <summary>
    /// Starts a new attempt of a failed or discarded job, keeping its history; the retry policy counts its attempts
    /// from here. Refused for a job that has not finished or that succeeded.
    /// </summary>
    Task<JobCommandResult> RetryAsync(string requestedBy);

    /// <summary>
    /// Carries an unfinished job on from its record, as after a crash: it asks for a slot again, waits for its retry
    /// time, or adopts its running attempt; a job that is carried on already changes nothing. Sent by the rescuer
    /// (to jobs whose silo is gone or whose record has not moved for a while); returns once the job is active.
    /// </summary>
    [AlwaysInterleave]
    Task ResumeAsync();

    /// <summary>
    /// Re-runs this finished job for the replay <paramref name="replayId"/>, once however often it is asked: as a new
    /// attempt (a failed or discarded job), or as a new job <see cref="JobKeys.Replay"/> marked replay-of this one
    /// (any finished job). Refused for an unfinished job, or when the job's process is no longer declared.
    /// </summary>
    Task<JobCommandResult> ReplayAsync(string replayId, ReplayMode mode, string requestedBy);

    /// <summary>
    /// Coalescing: makes this waiting job of a per-row link stand for <paramref name="later"/>, a later change of its
    /// row, so that it runs once with the latest row image; the event's id is recorded among the job's absorbed
    /// events. Returns the job's summary, or null (nothing changed) when the job no longer waits or never ran for
    /// the row: the event then needs a job of its own. Asking again for an event absorbed already changes nothing.
    /// </summary>
    Task<JobSummary?> AbsorbAsync(CapturedEvent later);

    /// <summary>The job's full record, or null when no job has this id.</summary>
    [AlwaysInterleave]
    Task<JobState?> GetStateAsync();

    /// <summary>The job in one line, or null when no job has this id.</summary>
    [AlwaysInterleave]
    Task<JobSummary?> GetSummaryAsync();
}

/// <summary>What a link asks a job to do: run a process for an event.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-request")]
public sealed record JobRequest(
    [property: Id(0)] string LinkId,
    [property: Id(1)] string ProcessId,
    [property: Id(2)] CapturedEvent Event,
    [property: Id(3)] string? ReplayOf = null);

using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The job state machine: acknowledged → awaiting → executing → succeeded | failed | discarded, with executing →
/// awaiting again while retries remain, and failed | discarded → awaiting on a manual retry. It only appends
/// transitions and adds one run entry per attempt; the entry of the running attempt is completed once, when the
/// attempt ends. No I/O: the grain persists what this class decides.
/// </summary>
public static class JobLifecycle
{
    /// <summary>
    /// Records a new job for <paramref name="request"/>: it is acknowledged and, at once, awaiting a slot.
    /// Returns false (and changes nothing) when the state already holds a job. <paramref name="rowKey"/> is the row
    /// whose jobs it runs in order with (<see cref="RowOrder.RowKeyFor"/>), or null.
    /// </summary>
    public static bool Acknowledge(JobState state, string jobId, JobRequest request, DateTimeOffset now, string? rowKey = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        if (state.Transitions.Count > 0)
        {
            return false;
        }

        state.JobId = jobId;
        state.LinkId = request.LinkId;
        state.ProcessId = request.ProcessId;
        state.Event = request.Event;
        state.ReplayOf = request.ReplayOf;
        state.RowKey = rowKey;
        var origin = request.ReplayOf is { } original ? $"replay of job {original}, " : "";
        Enter(state, JobStatus.Acknowledged, now, $"{origin}event {request.Event.Id} of input '{request.Event.InputId}'");
        Enter(state, JobStatus.Awaiting, now, "waiting for a slot of process '" + request.ProcessId + "'");
        return true;
    }

    /// <summary>Starts the next attempt: the job is executing and has a new run entry.</summary>
    public static JobRun BeginAttempt(JobState state, string image, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        Require(state, JobStatus.Executing, JobStatus.Awaiting);
        state.Attempts++;
        state.RetryAt = null;
        var run = new JobRun { Attempt = state.Attempts, Image = image, StartedAt = now };
        state.Runs.Add(run);
        Enter(state, JobStatus.Executing, now, $"attempt {state.Attempts}");
        return run;
    }

    /// <summary>The attempts the retry policy counts: those since the last manual retry.</summary>
    public static int AttemptsInBudget(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Attempts - state.AttemptsBeforeRedrive;
    }

    /// <summary>
    /// Ends the running attempt with <paramref name="outcome"/> and moves the job as <paramref name="verdict"/>
    /// says: succeeded, failed, discarded, or awaiting its retry at <see cref="AttemptVerdict.RetryAt"/>.
    /// </summary>
    public static void CompleteAttempt(JobState state, AttemptOutcome outcome, AttemptVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var next = verdict.Kind switch
        {
            VerdictKind.Succeed => JobStatus.Succeeded,
            VerdictKind.Retry => JobStatus.Awaiting,
            VerdictKind.Fail => JobStatus.Failed,
            _ => JobStatus.Discarded,
        };
        RecordRun(state, outcome, next);
        state.RetryAt = verdict.RetryAt;
        Enter(state, next, outcome.FinishedAt, verdict.Reason);
    }

    /// <summary>
    /// Discards a job that has not finished, or that failed (so that it releases its row, for a per-row link), on
    /// <paramref name="requestedBy"/>'s request. A running attempt must have ended: its <paramref name="outcome"/>
    /// completes the run entry as cancelled.
    /// </summary>
    public static void Cancel(JobState state, string requestedBy, DateTimeOffset now, AttemptOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Transitions.Count == 0 || state.Status is JobStatus.Succeeded or JobStatus.Discarded)
        {
            throw new InvalidJobTransitionException(state.JobId, state.Status, JobStatus.Discarded);
        }

        var reason = $"cancelled by {requestedBy}";
        if (state.Status == JobStatus.Executing)
        {
            var ended = outcome ?? throw new InvalidOperationException($"Job '{state.JobId}' is executing: its attempt's outcome is needed to cancel it.");
            RecordRun(state, ended with { Kind = RunOutcome.Cancelled }, JobStatus.Discarded);
            reason += $" during attempt {state.Attempts} ({RetryDecider.Describe(ended)})";
        }

        state.RetryAt = null;
        Enter(state, JobStatus.Discarded, now, reason, requestedBy);
    }

    /// <summary>
    /// Fails an unfinished job whose process the loaded pipelines no longer declare, so that it stops waiting for a
    /// slot nobody grants; a running attempt ends as <see cref="RunOutcome.Abandoned"/>. A manual retry carries the
    /// job on once the process is declared again.
    /// </summary>
    public static void Abandon(JobState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Transitions.Count == 0 || IsTerminal(state.Status))
        {
            throw new InvalidJobTransitionException(state.JobId, state.Status, JobStatus.Failed);
        }

        var reason = $"process '{state.ProcessId}' is not in the pipeline graph";
        if (state.Status == JobStatus.Executing)
        {
            RecordRun(state, new AttemptOutcome(RunOutcome.Abandoned, null, null, reason + "; its container was removed without waiting for it", "", "", false, now), JobStatus.Failed);
            reason += $" (attempt {state.Attempts} abandoned)";
        }

        state.RetryAt = null;
        Enter(state, JobStatus.Failed, now, reason);
    }

    /// <summary>
    /// Sends a failed or discarded job back to wait for a new attempt, on <paramref name="requestedBy"/>'s request;
    /// the retry policy counts attempts from here. <paramref name="replayId"/> names the replay that asks, if one does.
    /// </summary>
    public static void Redrive(JobState state, string requestedBy, DateTimeOffset now, string? replayId = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Transitions.Count == 0 || state.Status is not (JobStatus.Failed or JobStatus.Discarded))
        {
            throw new InvalidJobTransitionException(state.JobId, state.Status, JobStatus.Awaiting);
        }

        state.AttemptsBeforeRedrive = state.Attempts;
        state.RetryAt = null;
        if (replayId is not null)
        {
            state.Replays.Add(replayId);
        }

        Enter(state, JobStatus.Awaiting, now, replayId is null ? $"retried by {requestedBy}" : $"replayed by {requestedBy} (replay {replayId})", requestedBy);
    }

    /// <summary>
    /// Makes the waiting job stand for <paramref name="later"/>, a later change of its row (coalescing): its attempts
    /// run with that event's row image, and the event's id joins <see cref="JobState.Absorbed"/>. Returns false (and
    /// changes nothing) when it absorbed the event already.
    /// </summary>
    public static bool Absorb(JobState state, CapturedEvent later)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(later);
        if (state.Absorbed.Contains(later.Id))
        {
            return false;
        }

        if (!RowOrder.CanAbsorb(state) || !string.Equals(later.RowKey, state.RowKey, StringComparison.Ordinal) || later.Id <= state.RunEvent!.Id)
        {
            throw new InvalidOperationException($"Job '{state.JobId}' ({state.Status}, {state.Attempts} attempts, row '{state.RowKey}') cannot absorb event {later.Id}.");
        }

        state.Absorbed.Add(later.Id);
        state.LatestEvent = later;
        return true;
    }

    /// <summary>Records that the replay <paramref name="replayId"/> made a new job of this finished one.</summary>
    public static void ReplayedAsNewJob(JobState state, string replayId)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Transitions.Count == 0 || !IsTerminal(state.Status))
        {
            throw new InvalidOperationException($"Job '{state.JobId}' is {state.Status}: only a finished job is replayed.");
        }

        state.Replays.Add(replayId);
    }

    /// <summary>True for statuses a job leaves only on a manual retry (<see cref="JobStatuses.IsTerminal"/>).</summary>
    public static bool IsTerminal(JobStatus status) => status.IsTerminal();

    private static void RecordRun(JobState state, AttemptOutcome outcome, JobStatus target)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        Require(state, target, JobStatus.Executing);
        state.Runs[^1] = state.Runs[^1] with
        {
            ContainerId = outcome.ContainerId,
            FinishedAt = outcome.FinishedAt,
            ExitCode = outcome.ExitCode,
            Error = outcome.Error,
            StdoutTail = outcome.StdoutTail,
            StderrTail = outcome.StderrTail,
            LogsTruncated = outcome.LogsTruncated,
            Outcome = outcome.Kind,
        };
    }

    private static void Require(JobState state, JobStatus target, JobStatus expected)
    {
        if (state.Transitions.Count == 0 || state.Status != expected)
        {
            throw new InvalidJobTransitionException(state.JobId, state.Status, target);
        }
    }

    private static void Enter(JobState state, JobStatus status, DateTimeOffset at, string reason, string? by = null)
    {
        state.Status = status;
        state.Transitions.Add(new JobTransition(status, at, reason, by));
    }
}

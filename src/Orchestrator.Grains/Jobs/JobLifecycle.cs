using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The job state machine: acknowledged → awaiting → executing → succeeded | failed (discarded comes with retries).
/// It only appends transitions and adds one run entry per attempt; the entry of the running attempt is completed
/// once, when the attempt ends. No I/O: the grain persists what this class decides.
/// </summary>
public static class JobLifecycle
{
    /// <summary>
    /// Records a new job for <paramref name="request"/>: it is acknowledged and, at once, awaiting a slot.
    /// Returns false (and changes nothing) when the state already holds a job.
    /// </summary>
    public static bool Acknowledge(JobState state, string jobId, JobRequest request, DateTimeOffset now)
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
        Enter(state, JobStatus.Acknowledged, now, $"event {request.Event.Id} of input '{request.Event.InputId}'");
        Enter(state, JobStatus.Awaiting, now, "waiting for a slot of process '" + request.ProcessId + "'");
        return true;
    }

    /// <summary>Starts the next attempt: the job is executing and has a new run entry.</summary>
    public static JobRun BeginAttempt(JobState state, string image, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        Require(state, JobStatus.Executing, JobStatus.Awaiting);
        state.Attempts++;
        var run = new JobRun { Attempt = state.Attempts, Image = image, StartedAt = now };
        state.Runs.Add(run);
        Enter(state, JobStatus.Executing, now, $"attempt {state.Attempts}");
        return run;
    }

    /// <summary>Ends the running attempt with <paramref name="outcome"/>: the job succeeded or failed.</summary>
    public static void CompleteAttempt(JobState state, AttemptOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        var next = outcome.Succeeded ? JobStatus.Succeeded : JobStatus.Failed;
        Require(state, next, JobStatus.Executing);
        state.Runs[^1] = state.Runs[^1] with
        {
            ContainerId = outcome.ContainerId,
            FinishedAt = outcome.FinishedAt,
            ExitCode = outcome.ExitCode,
            Error = outcome.Error,
            StdoutTail = outcome.StdoutTail,
            StderrTail = outcome.StderrTail,
            LogsTruncated = outcome.LogsTruncated,
        };
        Enter(state, next, outcome.FinishedAt, Describe(outcome));
    }

    /// <summary>True for statuses a job never leaves.</summary>
    public static bool IsTerminal(JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Discarded;

    private static string Describe(AttemptOutcome outcome) => outcome switch
    {
        { Error: { } error } => error,
        { ExitCode: { } code } => $"exit code {code}",
        _ => "ended without an exit code",
    };

    private static void Require(JobState state, JobStatus target, JobStatus expected)
    {
        if (state.Transitions.Count == 0 || state.Status != expected)
        {
            throw new InvalidJobTransitionException(state.JobId, state.Status, target);
        }
    }

    private static void Enter(JobState state, JobStatus status, DateTimeOffset at, string reason)
    {
        state.Status = status;
        state.Transitions.Add(new JobTransition(status, at, reason));
    }
}

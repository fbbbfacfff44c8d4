using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>Job records to store.</summary>
internal static class Jobs
{
    public static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

    /// <summary>A finished (failed) job with one run, of event <paramref name="eventId"/> on <paramref name="link"/>.</summary>
    public static JobState Failed(string link, long eventId, DateTimeOffset? at = null) => new()
    {
        JobId = JobKeys.For(link, eventId),
        LinkId = link,
        ProcessId = "proc",
        Event = Event(eventId, at ?? At),
        Status = JobStatus.Failed,
        Transitions =
        [
            new JobTransition(JobStatus.Acknowledged, at ?? At, null),
            new JobTransition(JobStatus.Executing, (at ?? At).AddSeconds(1), "slot free"),
            new JobTransition(JobStatus.Failed, (at ?? At).AddSeconds(3), "exit code 2"),
        ],
        Attempts = 1,
        Runs =
        [
            new JobRun
            {
                Attempt = 1, Image = "busybox", ContainerId = "c0ffee", StartedAt = (at ?? At).AddSeconds(1),
                FinishedAt = (at ?? At).AddSeconds(3), ExitCode = 2, StdoutTail = "out\n", StderrTail = "é ✓ 1+1\n",
                LogsTruncated = true, Outcome = RunOutcome.Exited,
            },
        ],
    };

    /// <summary>A job just acknowledged and waiting for a slot.</summary>
    public static JobState Awaiting(string link, long eventId, DateTimeOffset? at = null) => new()
    {
        JobId = JobKeys.For(link, eventId),
        LinkId = link,
        ProcessId = "proc",
        Event = Event(eventId, at ?? At),
        Status = JobStatus.Awaiting,
        Transitions =
        [
            new JobTransition(JobStatus.Acknowledged, at ?? At, null),
            new JobTransition(JobStatus.Awaiting, at ?? At, null),
        ],
    };

    // Rows as the capture trigger hands them over: jsonb's text form (keys shortest first), which a jsonb document
    // keeps exactly.
    private static CapturedEvent Event(long id, DateTimeOffset at) =>
        new(id, "orders", "public", "orders", ChangeOperation.Update,
            """{"n": 1.50, "id": 1, "note": "old \"quoted\""}""", """{"n": 2, "id": 1, "note": "new"}""", 991, at);
}

using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>Job records to store.</summary>
internal static class Jobs
{
    public static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

    /// <summary>A finished (failed) job with one run, of event <paramref name="eventId"/> on <paramref name="link"/>.</summary>
    public static JobState Failed(string link, long eventId, DateTimeOffset? at = null)
    {
        var start = at ?? At;
        var job = Job(link, eventId, start, JobStatus.Failed,
        [
            new JobTransition(JobStatus.Acknowledged, start, null),
            new JobTransition(JobStatus.Executing, start.AddSeconds(1), "slot free"),
            new JobTransition(JobStatus.Failed, start.AddSeconds(3), "exit code 2"),
        ]);
        job.Attempts = 1;
        job.Runs =
        [
            new JobRun
            {
                Attempt = 1, Image = "busybox", ContainerId = "c0ffee", StartedAt = start.AddSeconds(1),
                FinishedAt = start.AddSeconds(3), ExitCode = 2, StdoutTail = "out\n", StderrTail = "é ✓ 1+1\n",
                LogsTruncated = true, Outcome = RunOutcome.Exited,
            },
        ];
        return job;
    }

    /// <summary>A job just acknowledged and waiting for a slot.</summary>
    public static JobState Awaiting(string link, long eventId, DateTimeOffset? at = null) =>
        Job(link, eventId, at ?? At, JobStatus.Awaiting,
        [
            new JobTransition(JobStatus.Acknowledged, at ?? At, null),
            new JobTransition(JobStatus.Awaiting, at ?? At, null),
        ]);

    private static JobState Job(string link, long eventId, DateTimeOffset at, JobStatus status, List<JobTransition> transitions) => new()
    {
        JobId = JobKeys.For(link, eventId),
        LinkId = link,
        ProcessId = "proc",
        Event = Event(eventId, at),
        Status = status,
        Transitions = transitions,
    };

    // Rows as the capture trigger hands them over: jsonb's text form (keys shortest first), which a jsonb document
    // keeps exactly.
    private static CapturedEvent Event(long id, DateTimeOffset at) =>
        new(id, "orders", "public", "orders", ChangeOperation.Update,
            """{"n": 1.50, "id": 1, "note": "old \"quoted\""}""", """{"n": 2, "id": 1, "note": "new"}""", 991, at);
}

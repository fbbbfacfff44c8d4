using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Tests;

/// <summary>Job records made by hand, as a silo would have stored them, for tests that write them directly.</summary>
internal static class TestJobs
{
    /// <summary>A job of <paramref name="link"/> (process <paramref name="process"/>) for an insert into <paramref name="table"/>, acknowledged and waiting for a slot at <paramref name="at"/>.</summary>
    public static JobState Awaiting(string link, string process, string table, long eventId, DateTimeOffset at) => new()
    {
        JobId = JobKeys.For(link, eventId),
        LinkId = link,
        ProcessId = process,
        Event = new CapturedEvent(eventId, table, "public", table, ChangeOperation.Insert, null, $$"""{"id": {{eventId}}}""", 900, at),
        Status = JobStatus.Awaiting,
        Transitions = [new JobTransition(JobStatus.Acknowledged, at, null), new JobTransition(JobStatus.Awaiting, at, null)],
    };

    /// <summary>The same job after one attempt that ended with <paramref name="exitCode"/>, in <paramref name="status"/>.</summary>
    public static JobState Finished(string link, string process, string table, long eventId, DateTimeOffset at, JobStatus status, long exitCode)
    {
        var job = Awaiting(link, process, table, eventId, at);
        job.Status = status;
        job.Attempts = 1;
        job.Transitions.Add(new JobTransition(JobStatus.Executing, at, "attempt 1"));
        job.Transitions.Add(new JobTransition(status, at.AddSeconds(1), $"exit code {exitCode}"));
        job.Runs.Add(new JobRun { Attempt = 1, Image = "busybox", StartedAt = at, FinishedAt = at.AddSeconds(1), ExitCode = exitCode, Outcome = RunOutcome.Exited });
        return job;
    }
}

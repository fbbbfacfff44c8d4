using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Grains.Jobs;

namespace Orchestrator.Grains.Tests;

/// <summary>The per-row decisions of a job, and the lifecycle steps they lead to, without a cluster.</summary>
public sealed class RowOrderDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LinkDefinition Parallel = new() { Id = "l", Input = "in", Process = "p" };
    private static readonly LinkDefinition PerRow = Parallel with { Ordering = LinkOrdering.PerRow };
    private static readonly LinkDefinition Coalescing = PerRow with { Coalesce = true };

    private static CapturedEvent Event(long id, string? rowKey = "public.t:k") =>
        new(id, "in", "public", "t", ChangeOperation.Update, "{}", $$"""{"v": {{id}}}""", 1, T0, rowKey);

    private static JobState Waiting(LinkDefinition link, long eventId = 7)
    {
        var request = new JobRequest("l", "p", Event(eventId));
        var job = new JobState();
        JobLifecycle.Acknowledge(job, JobKeys.For("l", eventId), request, T0, RowOrder.RowKeyFor(link, request));
        return job;
    }

    [Fact]
    public void Only_per_row_links_jobs_of_keyed_events_are_ordered_and_replay_copies_never()
    {
        var request = new JobRequest("l", "p", Event(7));

        Assert.Equal("public.t:k", RowOrder.RowKeyFor(PerRow, request));
        Assert.Null(RowOrder.RowKeyFor(Parallel, request));
        Assert.Null(RowOrder.RowKeyFor(null, request));
        Assert.Null(RowOrder.RowKeyFor(PerRow, request with { ReplayOf = "job:l:7" }));
        Assert.Null(RowOrder.RowKeyFor(PerRow, request with { Event = Event(7, rowKey: null) }));
        Assert.True(RowOrder.Coalesces(Coalescing, request));
        Assert.False(RowOrder.Coalesces(PerRow, request));
        Assert.True(RowOrder.WaitsForRow(Waiting(PerRow)));
        Assert.False(RowOrder.WaitsForRow(Waiting(Parallel)));
    }

    [Fact]
    public void Success_and_discard_release_the_row_and_a_failure_holds_it_until_cancelled()
    {
        var job = Waiting(PerRow);
        JobLifecycle.BeginAttempt(job, "img", T0);
        JobLifecycle.CompleteAttempt(job, new AttemptOutcome(RunOutcome.Exited, "c", 3, null, "", "", false, T0), new AttemptVerdict(VerdictKind.Fail, "exit code 3"));
        Assert.False(RowOrder.ReleasesRow(job));

        JobLifecycle.Cancel(job, "ops", T0.AddSeconds(1), outcome: null);

        Assert.Equal(JobStatus.Discarded, job.Status);
        Assert.Equal("cancelled by ops", job.Transitions[^1].Reason);
        Assert.True(RowOrder.ReleasesRow(job));
        Assert.Throws<InvalidJobTransitionException>(() => JobLifecycle.Cancel(job, "ops", T0, outcome: null));
    }

    [Fact]
    public void A_waiting_job_absorbs_its_rows_later_events_once_each_and_runs_with_the_latest()
    {
        var job = Waiting(Coalescing);

        Assert.True(JobLifecycle.Absorb(job, Event(8)));
        Assert.True(JobLifecycle.Absorb(job, Event(9)));
        Assert.False(JobLifecycle.Absorb(job, Event(8)));

        Assert.Equal([8L, 9L], job.Absorbed);
        Assert.Equal((7L, 9L), (job.Event!.Id, job.RunEvent!.Id));
        Assert.Throws<InvalidOperationException>(() => JobLifecycle.Absorb(job, Event(10, "public.t:other")));
        JobLifecycle.BeginAttempt(job, "img", T0);
        Assert.False(RowOrder.CanAbsorb(job));
        Assert.Throws<InvalidOperationException>(() => JobLifecycle.Absorb(job, Event(10)));
    }
}

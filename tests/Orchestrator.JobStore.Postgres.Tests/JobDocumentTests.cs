using System.Text.Json;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

public sealed class JobDocumentTests
{
    [Fact]
    public void A_full_record_round_trips()
    {
        var job = Jobs.Failed("link-a", 42);

        var read = JobDocument.Deserialize(JobDocument.Serialize(job));

        Assert.Equal(job.Event, read.Event);
        Assert.Equal(job.Transitions, read.Transitions);
        Assert.Equal(job.Runs, read.Runs);
        Assert.Equal((job.JobId, job.LinkId, job.ProcessId, job.Status, job.Attempts), (read.JobId, read.LinkId, read.ProcessId, read.Status, read.Attempts));
    }

    [Fact]
    public void Rows_are_JSON_objects_statuses_are_names_and_plus_is_not_escaped()
    {
        using var document = JsonDocument.Parse(JobDocument.Serialize(Jobs.Failed("link-a", 42)));
        var root = document.RootElement;

        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal("new", root.GetProperty("event").GetProperty("newRow").GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("event").GetProperty("oldRow").ValueKind);
        Assert.Contains("1+1", JobDocument.Serialize(Jobs.Failed("link-a", 42)), StringComparison.Ordinal);
    }

    [Fact]
    public void Characters_jsonb_cannot_hold_are_replaced_and_nothing_else_changes()
    {
        var tail = "a\0b" + "\uD83D\uDE00" + "\uDE00c\uD83D";

        Assert.Equal("a\uFFFDb\uD83D\uDE00\uFFFDc\uFFFD", JobDocument.Storable(tail));
        Assert.Same("plain ✓", JobDocument.Storable("plain ✓"));
    }

    [Fact]
    public void A_record_without_an_event_round_trips()
    {
        var job = new JobState { JobId = "job:x:1", Status = JobStatus.Acknowledged };

        var read = JobDocument.Deserialize(JobDocument.Serialize(job));

        Assert.Null(read.Event);
        Assert.Equal("job:x:1", read.JobId);
    }
}

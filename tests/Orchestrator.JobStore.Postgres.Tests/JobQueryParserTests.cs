using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

public sealed class JobQueryParserTests
{
    [Fact]
    public void Every_key_is_read_and_lists_may_repeat_or_use_commas()
    {
        var values = new Dictionary<string, string[]>
        {
            ["link"] = ["a,b", "c"],
            ["status"] = ["Failed, discarded"],
            ["notStatus"] = ["succeeded"],
            ["minAttempts"] = ["2"],
            ["from"] = ["2026-12-01T00:00:00Z"],
            ["until"] = ["2026-12-02"],
            ["eventId"] = ["9"],
            ["limit"] = ["10"],
            ["cursor"] = ["abc"],
            ["table"] = ["orders"],
        };

        var (query, problems) = JobQueryParser.Parse(k => values.GetValueOrDefault(k, []));

        Assert.Empty(problems);
        Assert.Equal(["a", "b", "c"], query.Links);
        Assert.Equal([JobStatus.Failed, JobStatus.Discarded], query.Statuses);
        Assert.Equal([JobStatus.Succeeded], query.ExcludedStatuses);
        Assert.Equal((2, 9L, 10, "abc"), (query.MinAttempts, query.EventId, query.Limit, query.Cursor));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), query.CreatedBefore);
        Assert.Equal(["orders"], query.Tables);
    }

    [Fact]
    public void Values_that_cannot_be_read_are_each_named()
    {
        var values = new Dictionary<string, string[]> { ["status"] = ["done", "3"], ["limit"] = ["many"], ["from"] = ["yesterday"] };

        var (_, problems) = JobQueryParser.Parse(k => values.GetValueOrDefault(k, []));

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("status: 'done' is not a status", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("status: '3' is not a status", StringComparison.Ordinal));
        Assert.Contains("limit: 'many' is not a whole number", problems);
        Assert.Contains(problems, p => p.StartsWith("from: 'yesterday' is not a time", StringComparison.Ordinal));
    }
}

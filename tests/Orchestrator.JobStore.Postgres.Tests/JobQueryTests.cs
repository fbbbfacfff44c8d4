using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>Job queries over orchestrator.jobs: every filter, newest first, pages, counts.</summary>
public sealed class JobQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private StoreDatabase _db = null!;
    private JobQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _db = await StoreDatabase.CreateAsync(nameof(JobQueryTests));
        _queries = new JobQueries(_db.Database.DataSource, "orchestrator");
        var storage = _db.Storage();

        // 40 jobs, one a minute: links a (even events) and b (odd); every third failed with 2 attempts, the rest awaiting;
        // events 30 and up on table "items", of input "other", run by process "q".
        for (var i = 0; i < 40; i++)
        {
            var link = i % 2 == 0 ? "a" : "b";
            var job = i % 3 == 0 ? Jobs.Failed(link, i, Start.AddMinutes(i)) : Jobs.Awaiting(link, i, Start.AddMinutes(i));
            if (i % 3 == 0)
            {
                job.Attempts = 2;
            }

            if (i >= 30)
            {
                job.Event = job.Event! with { Table = "items", InputId = "other" };
                job.ProcessId = "q";
            }

            await StoreDatabase.WriteNewAsync(storage, job);
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Without_filters_jobs_come_newest_first()
    {
        var page = await _queries.QueryAsync(new JobQuery { Limit = 5 });

        Assert.Equal([39L, 38, 37, 36, 35], page.Jobs.Select(j => j.EventId));
        Assert.NotNull(page.NextCursor);
    }

    [Theory]
    [InlineData("link", 20)]
    [InlineData("status", 14)]
    [InlineData("notStatus", 26)]
    [InlineData("attempts", 14)]
    [InlineData("process", 10)]
    [InlineData("input", 10)]
    [InlineData("table", 10)]
    [InlineData("time", 10)]
    [InlineData("event", 1)]
    [InlineData("link+status", 7)]
    public async Task Each_filter_selects_exactly_its_jobs(string filter, int expected)
    {
        var query = filter switch
        {
            "link" => new JobQuery { Links = ["a"] },
            "status" => new JobQuery { Statuses = [JobStatus.Failed] },
            "notStatus" => new JobQuery { ExcludedStatuses = [JobStatus.Failed, JobStatus.Succeeded] },
            "attempts" => new JobQuery { MinAttempts = 2 },
            "process" => new JobQuery { Processes = ["q"] },
            "input" => new JobQuery { Inputs = ["other"] },
            "table" => new JobQuery { Tables = ["items"] },
            "time" => new JobQuery { CreatedFrom = Start.AddMinutes(5), CreatedBefore = Start.AddMinutes(15) },
            "event" => new JobQuery { EventId = 17 },
            _ => new JobQuery { Links = ["a"], Statuses = [JobStatus.Failed] },
        };

        var jobs = (await _queries.QueryAsync(query with { Limit = 1000 })).Jobs;

        Assert.Equal(expected, jobs.Count);
        Assert.All(jobs, j => Assert.True(Matches(filter, j), $"{j} does not match {filter}"));
    }

    [Fact]
    public async Task Pages_cover_every_job_once_while_new_jobs_arrive()
    {
        var storage = _db.Storage();
        var seen = new List<string>();
        string? cursor = null;
        var added = 0;
        do
        {
            var page = await _queries.QueryAsync(new JobQuery { Limit = 7, Cursor = cursor });
            seen.AddRange(page.Jobs.Select(j => j.JobId));
            cursor = page.NextCursor;

            // Newer jobs land between pages; they sort before the cursor and must not disturb the walk.
            await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("c", 1000 + added, DateTimeOffset.UtcNow));
            added++;
        }
        while (cursor is not null);

        var original = Enumerable.Range(0, 40).Select(i => JobKeys.For(i % 2 == 0 ? "a" : "b", i));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Order(StringComparer.Ordinal), seen.Where(id => !id.StartsWith("job:c:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Counts_are_per_link_and_status()
    {
        var counts = await _queries.CountAsync([]);
        var onlyA = await _queries.CountAsync(["a"]);

        Assert.Equal(
            [new JobStatusCount("a", JobStatus.Awaiting, 13), new JobStatusCount("a", JobStatus.Failed, 7), new JobStatusCount("b", JobStatus.Awaiting, 13), new JobStatusCount("b", JobStatus.Failed, 7)],
            counts);
        Assert.Equal(counts.Take(2), onlyA);
    }

    [Fact]
    public async Task An_invalid_query_or_cursor_is_refused_with_what_is_wrong()
    {
        var limit = await Assert.ThrowsAsync<ArgumentException>(() => _queries.QueryAsync(new JobQuery { Limit = 0 }));
        var cursor = await Assert.ThrowsAsync<ArgumentException>(() => _queries.QueryAsync(new JobQuery { Cursor = "not-a-cursor" }));

        Assert.Contains("limit is 0; use 1 to 1000", limit.Message, StringComparison.Ordinal);
        Assert.Contains("is not a job cursor", cursor.Message, StringComparison.Ordinal);
    }

    private static bool Matches(string filter, JobSummary job) => filter switch
    {
        "link" => job.LinkId == "a",
        "status" => job.Status == JobStatus.Failed,
        "notStatus" => job.Status == JobStatus.Awaiting,
        "attempts" => job.Attempts >= 2,
        "process" or "input" or "table" => job.EventId >= 30 && job.ProcessId == "q",
        "time" => job.CreatedAt >= Start.AddMinutes(5) && job.CreatedAt < Start.AddMinutes(15),
        "event" => job.EventId == 17,
        _ => job.LinkId == "a" && job.Status == JobStatus.Failed,
    };
}

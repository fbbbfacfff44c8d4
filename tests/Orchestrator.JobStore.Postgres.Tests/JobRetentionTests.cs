using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>
/// Retention against a real table: each finished status goes at its own age and not before, unfinished jobs and
/// other services' rows never, in batches of short statements that skip rows another transaction holds.
/// </summary>
public sealed class JobRetentionTests : IAsyncLifetime
{
    private const string Service = "orchestrator";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly RecordingLogger<JobRetention> _logger = new();
    private StoreDatabase _db = null!;

    public async Task InitializeAsync() => _db = await StoreDatabase.CreateAsync(nameof(JobRetentionTests));

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Each_status_is_pruned_at_its_own_age_and_not_before()
    {
        var ages = new Dictionary<JobStatus, TimeSpan>
        {
            [JobStatus.Succeeded] = TimeSpan.FromDays(1),
            [JobStatus.Failed] = TimeSpan.FromDays(30),
            [JobStatus.Discarded] = TimeSpan.FromDays(7),
        };
        foreach (var (status, age) in ages)
        {
            await InsertAsync($"{status}-past", status, Now - age - TimeSpan.FromTicks(10));
            await InsertAsync($"{status}-at", status, Now - age);
            await InsertAsync($"{status}-within", status, Now - age + TimeSpan.FromSeconds(1));
        }

        // Older than the succeeded and discarded ages, younger than its own: an unresolved failure stays.
        await InsertAsync("Failed-8d", JobStatus.Failed, Now - TimeSpan.FromDays(8));
        await InsertAsync("Discarded-2d", JobStatus.Discarded, Now - TimeSpan.FromDays(2));

        var pruned = await Retention(o =>
        {
            o.SucceededAge = ages[JobStatus.Succeeded];
            o.FailedAge = ages[JobStatus.Failed];
            o.DiscardedAge = ages[JobStatus.Discarded];
        }).PruneAsync();

        Assert.Equal((1L, 1L, 1L, 3), (pruned.Succeeded, pruned.Failed, pruned.Discarded, pruned.Statements));
        Assert.Equal(
            ["Discarded-2d", "Discarded-at", "Discarded-within", "Failed-8d", "Failed-at", "Failed-within", "Succeeded-at", "Succeeded-within"],
            await JobIdsAsync());
        Assert.Equal([1], _logger.EventIds);
    }

    [Fact]
    public async Task Unfinished_jobs_are_never_pruned_however_old()
    {
        foreach (var status in new[] { JobStatus.Acknowledged, JobStatus.Awaiting, JobStatus.Executing })
        {
            await InsertAsync(status.ToString(), status, null, Now.AddYears(-20));
        }

        var pruned = await Retention(o =>
        {
            o.SucceededAge = TimeSpan.FromTicks(10);
            o.FailedAge = TimeSpan.FromTicks(10);
            o.DiscardedAge = TimeSpan.FromTicks(10);
        }).PruneAsync();

        Assert.Equal(0L, pruned.Total);
        Assert.Equal(["Acknowledged", "Awaiting", "Executing"], await JobIdsAsync());
        Assert.Empty(_logger.EventIds);
    }

    [Fact]
    public async Task Other_service_ids_are_untouched()
    {
        await InsertAsync("ours", JobStatus.Succeeded, Now.AddDays(-3));
        await InsertAsync("theirs", JobStatus.Succeeded, Now.AddDays(-3), service: "other-cluster");

        var pruned = await Retention().PruneAsync();

        Assert.Equal(1L, pruned.Succeeded);
        Assert.Equal(["theirs"], await JobIdsAsync());
    }

    [Fact]
    public async Task A_status_with_age_zero_is_kept_for_ever()
    {
        await InsertAsync("failed", JobStatus.Failed, Now.AddYears(-50));
        await InsertAsync("succeeded", JobStatus.Succeeded, Now.AddYears(-50));

        var pruned = await Retention(o => o.FailedAge = TimeSpan.Zero).PruneAsync();

        Assert.Equal((1L, 0L, 2), (pruned.Succeeded, pruned.Failed, pruned.Statements));
        Assert.Equal(["failed"], await JobIdsAsync());
    }

    [Fact]
    public async Task More_rows_than_a_batch_all_go_in_several_statements()
    {
        await _db.Database.ExecuteAsync(
            """
            INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                           status, attempts, created_at, updated_at, finished_at, version, record)
            SELECT $1, 'bulk-' || i, 'l', 'p', 'i', 'public', 't', i, 'succeeded', 1, $2, $2, $2 + i * interval '1 ms', 1, '{}'
              FROM generate_series(1, 2500) AS i
            """,
            Service,
            Now.AddDays(-2));
        await InsertAsync("young", JobStatus.Succeeded, Now.AddHours(-1));

        var pruned = await Retention(o => o.BatchSize = 1000).PruneAsync();

        // 1000 + 1000 + 500 succeeded, then one (empty) statement each for failed and discarded.
        Assert.Equal((2500L, 5), (pruned.Succeeded, pruned.Statements));
        Assert.Equal(["young"], await JobIdsAsync());
    }

    [Fact]
    public async Task A_row_another_transaction_holds_is_skipped_and_goes_in_the_next_sweep()
    {
        await InsertAsync("held", JobStatus.Discarded, Now.AddDays(-10));
        await InsertAsync("free", JobStatus.Discarded, Now.AddDays(-10));
        var retention = Retention();

        await using (var connection = await _db.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand("SELECT 1 FROM orchestrator.jobs WHERE job_id = 'held' FOR UPDATE", connection, transaction))
            {
                await hold.ExecuteNonQueryAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var first = await retention.PruneAsync(deadline.Token);

            Assert.Equal(1L, first.Discarded);
            Assert.Equal(["held"], await JobIdsAsync());
        }

        var second = await retention.PruneAsync();

        Assert.Equal(1L, second.Discarded);
        Assert.Empty(await JobIdsAsync());
    }

    private JobRetention Retention(Action<JobRetentionOptions>? configure = null)
    {
        var options = new JobRetentionOptions();
        configure?.Invoke(options);
        return new JobRetention(_db.Database.DataSource, Service, options, new FixedClock(Now), _logger);
    }

    private Task<int> InsertAsync(string jobId, JobStatus status, DateTimeOffset? finishedAt, DateTimeOffset? createdAt = null, string service = Service) =>
        JobTable.InsertAsync(_db.Database, service, jobId, JobRow.StatusName(status), createdAt ?? finishedAt ?? Now, finishedAt);

    private Task<List<string>> JobIdsAsync() => JobTable.JobIdsAsync(_db.Database);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>What a per-row job asks the job table: who holds its row, who comes next, who is just before it, who absorbed an event.</summary>
public sealed class RowJobsTests
{
    private const string Row = "public.orders:r1";

    [Fact]
    public async Task A_row_is_held_by_its_earliest_unresolved_job_and_released_by_success_or_discard_only()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_row_is_held_by_its_earliest_unresolved_job_and_released_by_success_or_discard_only));
        var storage = db.Storage();
        var rows = new RowJobs(db.Database.DataSource, "orchestrator");
        var succeeded = Keyed(Jobs.Failed("l", 1));
        succeeded.Status = JobStatus.Succeeded;
        var discarded = Keyed(Jobs.Failed("l", 2));
        discarded.Status = JobStatus.Discarded;
        foreach (var job in new[] { succeeded, discarded, Keyed(Jobs.Failed("l", 3)), Keyed(Jobs.Awaiting("l", 4)), Keyed(Jobs.Awaiting("l", 5)) })
        {
            await StoreDatabase.WriteNewAsync(storage, job);
        }

        // Not the row's: another row, another link, and a job without a row key (parallel link, replay copy).
        await StoreDatabase.WriteNewAsync(storage, Keyed(Jobs.Awaiting("l", 0), "public.orders:r2"));
        await StoreDatabase.WriteNewAsync(storage, Keyed(Jobs.Awaiting("other", 0)));
        await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 6));

        Assert.Null(await rows.FindBlockerAsync("l", Row, 3));
        Assert.Equal(JobKeys.For("l", 3), await rows.FindBlockerAsync("l", Row, 5));
        Assert.Equal(JobKeys.For("l", 4), await rows.FindNextAsync("l", Row, 3));
        Assert.Equal(JobKeys.For("l", 3), await rows.FindNextAsync("l", Row, 2));
        Assert.Null(await rows.FindNextAsync("l", Row, 5));
        Assert.Equal(JobKeys.For("l", 5), await rows.FindPreviousAsync("l", Row, 9));
        Assert.Null(await rows.FindPreviousAsync("l", Row, 1));
    }

    [Fact]
    public async Task The_job_that_absorbed_an_event_is_found_by_the_events_id()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(The_job_that_absorbed_an_event_is_found_by_the_events_id));
        var rows = new RowJobs(db.Database.DataSource, "orchestrator");
        var absorbing = Keyed(Jobs.Awaiting("l", 10));
        absorbing.Absorbed = [11, 12];
        await StoreDatabase.WriteNewAsync(db.Storage(), absorbing);

        Assert.Equal(absorbing.JobId, await rows.FindAbsorberAsync("l", Row, 12));
        Assert.Null(await rows.FindAbsorberAsync("l", Row, 13));
        Assert.Null(await rows.FindAbsorberAsync("l", "public.orders:r2", 12));
    }

    [Fact]
    public async Task A_job_table_from_before_row_keys_gets_the_column_and_index_keeping_its_rows_and_installing_again_changes_nothing()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_job_table_from_before_row_keys_gets_the_column_and_index_keeping_its_rows_and_installing_again_changes_nothing));
        await JobStoreSchema.InstallAsync(database.DataSource);
        await database.ExecuteAsync("DROP INDEX orchestrator.jobs_by_row; ALTER TABLE orchestrator.jobs DROP COLUMN row_key");
        // A record as a version before row keys wrote it: only the columns it knew.
        await database.ExecuteAsync(
            """
            INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                           status, attempts, created_at, updated_at, version, record)
            VALUES ('orchestrator', $1, 'l', 'p', 'in', 'public', 'orders', 1, 'awaiting', 0, now(), now(), 1, '{}')
            """,
            JobKeys.For("l", 1));

        await JobStoreSchema.InstallAsync(database.DataSource);
        await JobStoreSchema.InstallAsync(database.DataSource);

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE row_key IS NULL"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'orchestrator' AND indexname = 'jobs_by_row'"));
        Assert.Null(await new RowJobs(database.DataSource, "orchestrator").FindBlockerAsync("l", Row, 5));
    }

    private static JobState Keyed(JobState job, string rowKey = Row)
    {
        job.RowKey = rowKey;
        return job;
    }
}

using Npgsql;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;
using Orleans.Storage;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>The grain storage contract over orchestrator.jobs, against a real Postgres.</summary>
public sealed class JobStorageTests
{
    [Fact]
    public async Task A_written_record_reads_back_whole_with_its_columns_filled()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_written_record_reads_back_whole_with_its_columns_filled));
        var storage = db.Storage();
        var job = Jobs.Failed("link-a", 42);

        var written = await StoreDatabase.WriteNewAsync(storage, job);
        var read = new GrainState<JobState>();
        await storage.ReadStateAsync("job", StoreDatabase.GrainIdOf(job.JobId), read);

        Assert.True(read.RecordExists);
        Assert.Equal("1", written.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(job.Event, read.State!.Event);
        Assert.Equal(job.Runs, read.State!.Runs);
        Assert.Equal(job.Transitions, read.State!.Transitions);
        var columns = await db.Database.ScalarAsync<string>(
            """
            SELECT concat_ws('|', link_id, process_id, input_id, schema_name, table_name, event_id, status, attempts,
                              created_at = $2, finished_at = $3, last_exit_code, record -> 'event' -> 'newRow' ->> 'note')
              FROM orchestrator.jobs WHERE job_id = $1
            """,
            job.JobId, job.Transitions[0].At.ToUniversalTime(), job.Transitions[^1].At.ToUniversalTime());
        Assert.Equal("link-a|proc|orders|public|orders|42|failed|1|t|t|2|new", columns);
    }

    [Fact]
    public async Task A_job_without_a_record_reads_as_missing()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_job_without_a_record_reads_as_missing));
        var read = new GrainState<JobState>();

        await db.Storage().ReadStateAsync("job", StoreDatabase.GrainIdOf("job:x:1"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
    }

    [Fact]
    public async Task A_stale_write_fails_and_leaves_the_newer_record()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_stale_write_fails_and_leaves_the_newer_record));
        var storage = db.Storage();
        var first = await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 1));
        var stale = new GrainState<JobState> { State = Jobs.Failed("l", 1), ETag = first.ETag, RecordExists = true };
        first.State!.Attempts = 7;
        await storage.WriteStateAsync("job", StoreDatabase.GrainIdOf(first.State!.JobId), first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("job", StoreDatabase.GrainIdOf(stale.State!.JobId), stale));

        Assert.Equal("2", first.ETag);
        Assert.Equal(7, await db.Database.ScalarAsync<int>("SELECT attempts FROM orchestrator.jobs WHERE job_id = $1", first.State!.JobId));
    }

    [Fact]
    public async Task A_second_first_write_of_one_job_fails()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_second_first_write_of_one_job_fails));
        var storage = db.Storage();
        await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 1));

        await Assert.ThrowsAsync<InconsistentStateException>(() => StoreDatabase.WriteNewAsync(db.Storage(), Jobs.Failed("l", 1)));

        Assert.Equal("awaiting", await db.Database.ScalarAsync<string>("SELECT status FROM orchestrator.jobs"));
    }

    [Fact]
    public async Task Writes_that_arrive_together_go_in_one_batch_and_one_bad_row_fails_only_its_caller()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(Writes_that_arrive_together_go_in_one_batch_and_one_bad_row_fails_only_its_caller));
        var log = new RecordingLogger<PostgresJobGrainStorage>();
        var storage = db.Storage(o => o.BatchWindow = TimeSpan.FromMilliseconds(200), logger: log);
        var conflict = await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 0));
        conflict.ETag = "99";
        var bad = Jobs.Awaiting("l", 1);
        bad.ProcessId = "nul\0inside";

        var good = Enumerable.Range(2, 30).Select(i => StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", i))).ToList();
        var refused = StoreDatabase.WriteNewAsync(storage, bad);
        var stale = storage.WriteStateAsync("job", StoreDatabase.GrainIdOf(conflict.State!.JobId), conflict);

        Assert.All(await Task.WhenAll(good), s => Assert.Equal("1", s.ETag));
        await Assert.ThrowsAnyAsync<PostgresException>(() => refused);
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.Equal(31L, await db.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs"));
        Assert.Equal([1, 2], log.EventIds); // the shared batch was refused once and split; then the bad write alone failed
    }

    [Fact]
    public async Task A_log_tail_with_a_NUL_byte_is_stored()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_log_tail_with_a_NUL_byte_is_stored));
        var job = Jobs.Failed("l", 1);
        job.Runs[0] = job.Runs[0] with { StdoutTail = "bin\0ary" };

        await StoreDatabase.WriteNewAsync(db.Storage(), job);

        Assert.Equal("bin\uFFFDary", await db.Database.ScalarAsync<string>("SELECT record -> 'runs' -> 0 ->> 'stdoutTail' FROM orchestrator.jobs"));
    }

    [Fact]
    public async Task A_batch_cut_off_by_a_lost_connection_fails_its_callers_writes_nothing_and_the_store_recovers()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(A_batch_cut_off_by_a_lost_connection_fails_its_callers_writes_nothing_and_the_store_recovers));
        var storage = db.Storage(o => o.BatchWindow = TimeSpan.FromMilliseconds(200), applicationName: "cut-off-store");
        var held = await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 0));

        // Another session holds the first job's row, so the batch that updates it waits inside its statement.
        await using var blocker = await db.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM orchestrator.jobs WHERE job_id = $1 FOR UPDATE", blocker, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = held.State!.JobId });
            await lockRow.ExecuteScalarAsync();
        }

        held.State!.Attempts = 1;
        var batch = new List<Task>
        {
            storage.WriteStateAsync("job", StoreDatabase.GrainIdOf(held.State!.JobId), held),
        };
        batch.AddRange(Enumerable.Range(1, 10).Select(i => (Task)StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", i))));
        await Eventually.UntilAsync(
            async () => await db.Database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cut-off-store' AND wait_event_type = 'Lock'") == 1,
            "the batch to wait for the held row");
        await db.Database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cut-off-store'");

        foreach (var write in batch)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => write);
        }

        await transaction.RollbackAsync();
        Assert.Equal(1L, await db.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs"));
        var again = await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 1));
        Assert.Equal("1", again.ETag);
    }

    [Fact]
    public async Task Clearing_deletes_the_record_at_its_version_only()
    {
        await using var db = await StoreDatabase.CreateAsync(nameof(Clearing_deletes_the_record_at_its_version_only));
        var storage = db.Storage();
        var state = await StoreDatabase.WriteNewAsync(storage, Jobs.Awaiting("l", 1));
        var stale = new GrainState<JobState> { State = state.State, ETag = "0", RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("job", StoreDatabase.GrainIdOf(state.State!.JobId), stale));
        await storage.ClearStateAsync("job", StoreDatabase.GrainIdOf(state.State!.JobId), state);

        Assert.False(state.RecordExists);
        Assert.Equal(0L, await db.Database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs"));
    }
}

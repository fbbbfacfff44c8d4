using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>What the rescuer finds: unfinished jobs whose silo is gone, or whose record has not moved for a while.</summary>
public sealed class UnfinishedJobsTests : IAsyncLifetime
{
    private const string Live = "10.0.0.1:11111@100";
    private const string Dead = "10.0.0.2:11111@90";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private StoreDatabase _db = null!;
    private UnfinishedJobs _unfinished = null!;

    public async Task InitializeAsync()
    {
        _db = await StoreDatabase.CreateAsync(nameof(UnfinishedJobsTests));
        _unfinished = new UnfinishedJobs(_db.Database.DataSource, "orchestrator");
        var live = _db.Storage(silo: Live);
        var dead = _db.Storage(silo: Dead);
        await StoreDatabase.WriteNewAsync(live, Jobs.Awaiting("a", 1, Now));
        await StoreDatabase.WriteNewAsync(live, Jobs.Awaiting("a", 2, Now.AddHours(-1)));
        await StoreDatabase.WriteNewAsync(dead, Jobs.Awaiting("a", 3, Now));
        await StoreDatabase.WriteNewAsync(dead, Jobs.Failed("a", 4, Now.AddHours(-1)));
        await StoreDatabase.WriteNewAsync(live, Jobs.Failed("a", 5, Now.AddHours(-1)));
        await StoreDatabase.WriteNewAsync(dead, Jobs.Awaiting("a", 6, Now));
        var executing = Jobs.Awaiting("a", 7, Now);
        executing.Status = JobStatus.Executing;
        await StoreDatabase.WriteNewAsync(dead, executing);

        // Moved from Orleans' storage, or written before the column existed: no silo.
        await _db.Database.ExecuteAsync("UPDATE orchestrator.jobs SET silo = NULL WHERE job_id = $1", JobKeys.For("a", 6));

        // Another deployment's unfinished job in the same table is not ours to rescue.
        await _db.Database.ExecuteAsync(
            "INSERT INTO orchestrator.jobs SELECT 'other', job_id, link_id, process_id, input_id, schema_name, table_name, event_id, status, attempts, created_at, updated_at, finished_at, last_exit_code, replay_of, version, record, silo FROM orchestrator.jobs WHERE job_id = $1",
            JobKeys.For("a", 3));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Unfinished_jobs_of_a_silo_that_is_gone_or_not_written_lately_are_found_and_no_others()
    {
        var found = await _unfinished.FindUnattendedAsync([Live], Now.AddMinutes(-1), "", 100);

        Assert.Equal(new[] { 2L, 3, 6, 7 }.Select(e => JobKeys.For("a", e)), found);
    }

    [Fact]
    public async Task When_every_writer_is_live_only_the_stale_are_found()
    {
        var found = await _unfinished.FindUnattendedAsync([Live, Dead], Now.AddMinutes(-1), "", 100);

        Assert.Equal([JobKeys.For("a", 2), JobKeys.For("a", 6)], found);
    }

    [Fact]
    public async Task Pages_follow_the_job_id_and_end_empty()
    {
        var first = await _unfinished.FindUnattendedAsync([Live], Now.AddMinutes(-1), "", 3);
        var second = await _unfinished.FindUnattendedAsync([Live], Now.AddMinutes(-1), first[^1], 3);
        var third = await _unfinished.FindUnattendedAsync([Live], Now.AddMinutes(-1), second[^1], 3);

        Assert.Equal(3, first.Count);
        Assert.Equal([JobKeys.For("a", 7)], second);
        Assert.Empty(third);
    }

    [Fact]
    public async Task Every_write_names_the_silo_that_made_it()
    {
        var job = await StoreDatabase.WriteNewAsync(_db.Storage(silo: Dead), Jobs.Awaiting("b", 1, Now));
        Assert.Equal(Dead, await SiloOfAsync("b", 1));

        job.State!.Status = JobStatus.Executing;
        await _db.Storage(silo: Live).WriteStateAsync("job", StoreDatabase.GrainIdOf(job.State!.JobId), job);

        Assert.Equal(Live, await SiloOfAsync("b", 1));
    }

    private Task<string> SiloOfAsync(string link, long eventId) =>
        _db.Database.ScalarAsync<string>("SELECT silo FROM orchestrator.jobs WHERE job_id = $1", JobKeys.For(link, eventId));
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Host;
using Orchestrator.Host.Configuration;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>The pipeline graph changed through <see cref="IPipelineGrain"/> while two silos run and rows are committed.</summary>
public sealed class RuntimeGraphTests
{
    private const string Setup = """
        CREATE TABLE t (id int PRIMARY KEY);
        CREATE TABLE u (id int PRIMARY KEY);
        """;

    private const string Pipelines = """
        {
          "inputs": [ { "id": "t", "tables": ["t"] } ],
          "processes": [ { "id": "ok", "image": "IMAGE", "command": ["true"], "maxConcurrency": 8 } ],
          "links": [ { "id": "t-a", "input": "t", "process": "ok" } ]
        }
        """;

    private static readonly PipelineApplyOptions ByTest = new() { By = "test" };

    [Fact]
    public async Task A_link_added_while_rows_are_committed_gets_every_later_row_and_the_other_link_misses_none()
    {
        await using var pipeline = await StartAsync(nameof(A_link_added_while_rows_are_committed_gets_every_later_row_and_the_other_link_misses_none));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        using var writer = new RowWriter(pipeline.Database, "t");
        await writer.WaitForAsync(10);

        var result = await graph.PutLinkAsync(new LinkDefinition { Id = "t-b", Input = "t", Process = "ok" }, ByTest);

        // The row being committed as the answer came may have committed before it; the one after surely did not.
        var firstAfter = writer.Next + 1;
        await writer.WaitForAsync(firstAfter + 10);
        var rows = await writer.StopAsync();

        AssertApplied(result);
        Assert.Equal([new PipelineChange(PipelineChangeKind.Added, PipelineElement.Link, "t-b")], result.Changes);
        Assert.Empty(result.SilosBehind);
        Assert.All(pipeline.SiloServices, s => Assert.Equal(result.Version, s.GetRequiredService<IPipelineGraph>().Current.Version));
        Assert.Equal(Enumerable.Range(1, rows), await RowsOfAsync(pipeline, "t-a", rows));
        var later = await Eventually.WaitAsync(
            async () => (await pipeline.JobsAsync("t-b")).Select(RowOf).Where(r => r >= firstAfter).Order().ToList(),
            r => r.Count >= rows - firstAfter + 1,
            "a job of t-b for every row committed after the change",
            TimeSpan.FromMinutes(2));
        Assert.Equal(Enumerable.Range(firstAfter, rows - firstAfter + 1), later);
    }

    [Fact]
    public async Task A_removed_link_makes_no_more_jobs_and_the_other_link_misses_none()
    {
        await using var pipeline = await StartAsync(nameof(A_removed_link_makes_no_more_jobs_and_the_other_link_misses_none));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        await graph.PutLinkAsync(new LinkDefinition { Id = "t-b", Input = "t", Process = "ok" }, ByTest);
        using var writer = new RowWriter(pipeline.Database, "t");
        await writer.WaitForAsync(10);

        var result = await graph.RemoveAsync(PipelineElement.Link, "t-b", ByTest);
        var firstAfter = writer.Next + 1;
        await writer.WaitForAsync(firstAfter + 10);
        var rows = await writer.StopAsync();

        AssertApplied(result);
        Assert.Equal(Enumerable.Range(1, rows), await RowsOfAsync(pipeline, "t-a", rows));
        Assert.DoesNotContain((await pipeline.JobsAsync("t-b")).Select(RowOf), r => r >= firstAfter);
    }

    [Fact]
    public async Task Removing_a_link_with_cancel_jobs_cancels_its_running_job()
    {
        await using var pipeline = await StartAsync(nameof(Removing_a_link_with_cancel_jobs_cancels_its_running_job));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        await graph.PutProcessAsync(new ContainerProcessDefinition { Id = "sleep", Image = TestEnvironment.TestImage, Command = ["sleep", "60"] }, ByTest);
        await graph.PutLinkAsync(new LinkDefinition { Id = "t-sleep", Input = "t", Process = "sleep" }, ByTest);
        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await pipeline.JobInStatusAsync("t-sleep", JobStatus.Executing);

        var result = await graph.RemoveAsync(PipelineElement.Link, "t-sleep", ByTest with { CancelRemovedLinksJobs = true });

        AssertApplied(result);
        Assert.Equal(1, result.JobsCancelled);
        var job = await pipeline.JobInStatusAsync("t-sleep", JobStatus.Discarded);
        Assert.Equal("test", job.Transitions[^1].By);
    }

    [Fact]
    public async Task An_invalid_change_is_refused_whole_with_every_problem_and_nothing_installed()
    {
        await using var pipeline = await StartAsync(nameof(An_invalid_change_is_refused_whole_with_every_problem_and_nothing_installed));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        var before = await graph.GetAsync();
        var next = PipelineEdits.Put(
            PipelineEdits.Put(before.Definition, new PostgresInputDefinition { Id = "nowhere", Tables = ["missing"] }),
            new LinkDefinition { Id = "nowhere-x", Input = "nowhere", Process = "undeclared" });

        var refused = await graph.ApplyAsync(next, ByTest);
        var unknownLink = await graph.RemoveAsync(PipelineElement.Link, "nope", ByTest);

        Assert.Equal(PipelineApplyOutcome.Invalid, refused.Outcome);
        Assert.Equal([PipelineErrorCode.UnknownProcess], refused.Errors.Select(e => e.Code));
        var dbRefusal = await graph.ApplyAsync(PipelineEdits.Put(before.Definition, new PostgresInputDefinition { Id = "nowhere", Tables = ["missing"] }), ByTest);
        Assert.Equal([PipelineErrorCode.UnknownTable], dbRefusal.Errors.Select(e => e.Code));
        Assert.Equal("inputs[1].tables[0]", Assert.Single(dbRefusal.Errors).Path);
        Assert.Equal(PipelineErrorCode.UnknownLink, Assert.Single(unknownLink.Errors).Code);
        Assert.Equal(before.Version, (await graph.GetAsync()).Version);
        Assert.Empty(await pipeline.Database.DataSource.ListAsync("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%nowhere%'"));
    }

    [Fact]
    public async Task A_stale_expected_version_and_a_dry_run_change_nothing()
    {
        await using var pipeline = await StartAsync(nameof(A_stale_expected_version_and_a_dry_run_change_nothing));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        var before = await graph.GetAsync();
        var link = new LinkDefinition { Id = "t-b", Input = "t", Process = "ok" };

        var dry = await graph.PutLinkAsync(link, ByTest with { DryRun = true });
        var stale = await graph.PutLinkAsync(link, ByTest with { ExpectedVersion = before.Version - 1 });
        var same = await graph.ApplyAsync(before.Definition, ByTest);

        Assert.Equal((PipelineApplyOutcome.Valid, 1), (dry.Outcome, dry.Changes.Count));
        Assert.Equal(PipelineErrorCode.VersionConflict, Assert.Single(stale.Errors).Code);
        Assert.Equal(PipelineApplyOutcome.Unchanged, same.Outcome);
        Assert.Equal(before.Version, (await graph.GetAsync()).Version);
    }

    [Fact]
    public async Task Removing_a_process_that_unfinished_jobs_use_is_refused_with_their_count_unless_forced()
    {
        await using var pipeline = await StartAsync(nameof(Removing_a_process_that_unfinished_jobs_use_is_refused_with_their_count_unless_forced));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        await graph.PutProcessAsync(new ContainerProcessDefinition { Id = "slow", Image = TestEnvironment.TestImage, Command = ["true"] }, ByTest);
        await pipeline.WriteJobAsync(TestJobs.Awaiting("gone-link", "slow", "t", 9_000_001, DateTimeOffset.UtcNow));

        var refused = await graph.RemoveAsync(PipelineElement.Process, "slow", ByTest);
        var forced = await graph.RemoveAsync(PipelineElement.Process, "slow", ByTest with { Force = true });

        var error = Assert.Single(refused.Errors);
        Assert.Equal(PipelineErrorCode.ProcessInUse, error.Code);
        Assert.Contains("1 unfinished job uses it", error.Message, StringComparison.Ordinal);
        AssertApplied(forced);
    }

    [Fact]
    public async Task An_input_added_at_run_time_captures_its_table_and_its_removal_drops_the_trigger()
    {
        await using var pipeline = await StartAsync(nameof(An_input_added_at_run_time_captures_its_table_and_its_removal_drops_the_trigger));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        var current = (await graph.GetAsync()).Definition;
        var withInput = PipelineEdits.Put(
            PipelineEdits.Put(current, new PostgresInputDefinition { Id = "u", Tables = ["u"] }),
            new LinkDefinition { Id = "u-a", Input = "u", Process = "ok" });

        var added = await graph.ApplyAsync(withInput, ByTest);
        await pipeline.Database.ExecuteAsync("INSERT INTO u VALUES (7)");
        var job = await pipeline.JobInStatusAsync("u-a", JobStatus.Succeeded);
        var triggers = await TriggersOnAsync(pipeline, "u");
        var removed = await graph.ApplyAsync(current, ByTest);

        AssertApplied(added);
        Assert.Equal("u", job.Event!.Table);
        Assert.Single(triggers);
        Assert.Equal(
            ["- input u", "- link u-a"],
            removed.Changes.Select(c => c.ToString()));
        Assert.Empty(await TriggersOnAsync(pipeline, "u"));
        Assert.Single(await TriggersOnAsync(pipeline, "t"));
    }

    [Fact]
    public async Task An_input_moved_to_another_database_is_read_there_and_leaves_the_first()
    {
        await using var pipeline = await StartAsync(nameof(An_input_moved_to_another_database_is_read_there_and_leaves_the_first));
        await using var other = await PostgresDatabase.CreateAsync(nameof(An_input_moved_to_another_database_is_read_there_and_leaves_the_first));
        await other.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY)");
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);

        var moved = await graph.PutInputAsync(new PostgresInputDefinition { Id = "t", Tables = ["t"], ConnectionString = other.ConnectionString }, ByTest);
        await other.ExecuteAsync("INSERT INTO t VALUES (5)");
        var job = await pipeline.JobInStatusAsync("t-a", JobStatus.Succeeded);

        AssertApplied(moved);
        Assert.Contains("\"id\": 5", job.Event!.NewRow, StringComparison.Ordinal);
        Assert.Empty(await TriggersOnAsync(pipeline, "t"));
        Assert.DoesNotContain(other.ConnectionString, PipelineFile.Serialize((await graph.GetAsync()).Definition), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_host_with_the_same_file_runs_the_graph_changed_through_the_api()
    {
        await using var pipeline = await StartAsync(nameof(A_restarted_host_with_the_same_file_runs_the_graph_changed_through_the_api));
        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        var applied = await graph.PutLinkAsync(new LinkDefinition { Id = "t-b", Input = "t", Process = "ok" }, ByTest);

        var options = new OrchestratorHostOptions { ConnectionString = pipeline.Database.ConnectionString, PipelinesFile = pipeline.PipelinesFile, CaptureQueueCount = 2 };
        var restarted = await HostBootstrap.PrepareAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await pipeline.RestartAsync();
        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");

        Assert.Equal(applied.Version, restarted.Version);
        Assert.NotNull(restarted.FindLink("t-b"));
        Assert.Equal(JobStatus.Succeeded, (await pipeline.JobInStatusAsync("t-b", JobStatus.Succeeded)).Status);
    }

    private static void AssertApplied(PipelineApplyResult result) =>
        Assert.True(result.Outcome == PipelineApplyOutcome.Applied, $"{result.Outcome}: {string.Join("; ", result.Errors)}");

    private static Task<PipelineCluster> StartAsync(string name) => PipelineCluster.StartAsync(
        name, Setup, image => Pipelines.Replace("IMAGE", image, StringComparison.Ordinal), silos: 2);

    private static async Task<IReadOnlyList<int>> RowsOfAsync(PipelineCluster pipeline, string link, int count)
    {
        var jobs = await Eventually.WaitAsync(() => pipeline.JobsAsync(link), j => j.Count >= count, $"{count} jobs on link '{link}'", TimeSpan.FromMinutes(2));
        var rows = jobs.Select(RowOf).Order().ToList();
        Assert.Equal(rows.Distinct().Count(), rows.Count);
        return rows;
    }

    // Each test's database is new and its writer is the only one of its table, so an event's id is its row's.
    private static int RowOf(JobSummary job) => (int)job.EventId;

    private static Task<List<string>> TriggersOnAsync(PipelineCluster pipeline, string table) =>
        pipeline.Database.DataSource.ListAsync($"SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = '{table}' AND NOT t.tgisinternal");

    /// <summary>Commits one row at a time (ids 1, 2, …) into a table until stopped.</summary>
    private sealed class RowWriter : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _committed;

        public RowWriter(PostgresDatabase database, string table)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    await database.ExecuteAsync($"INSERT INTO {table} VALUES ({_committed + 1})");
                    Interlocked.Increment(ref _committed);
                    await Task.Delay(40);
                }
            });
        }

        /// <summary>The id the next committed row gets.</summary>
        public int Next => Volatile.Read(ref _committed) + 1;

        public Task WaitForAsync(int rows) => Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref _committed) >= rows), $"{rows} rows committed");

        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return _committed;
        }

        public void Dispose() => _stop.Dispose();
    }
}

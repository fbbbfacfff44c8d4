using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A silo process killed with SIGKILL while jobs run or wait: the restarted silo carries every job on from its
/// record, adopting running containers by their labels and never starting a second container for an attempt.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string FastRescue = "--Orchestrator:JobRescuePeriod=00:00:05";

    [Fact]
    public async Task A_container_running_when_its_silo_is_killed_is_adopted_after_restart_and_never_started_twice()
    {
        await using var setup = await CrashSetup.CreateAsync(nameof(A_container_running_when_its_silo_is_killed_is_adopted_after_restart_and_never_started_twice),
            """{ "id": "work", "image": "IMAGE", "command": ["sh", "-c", "echo started; sleep 12; echo finished"] }""");
        var jobId = await setup.KillWhileRunningAsync();

        await using var second = setup.StartHost();
        await HostWaits.JobsAsync(setup.ConnectionString, setup.ClusterId, 1);

        var job = await HostWaits.ShowAsync(setup.ConnectionString, setup.ClusterId, jobId);
        Assert.Equal(("succeeded", 1), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
        var run = Assert.Single(job.GetProperty("runs").EnumerateArray());
        Assert.Equal((0L, "exited"), (run.GetProperty("exitCode").GetInt64(), run.GetProperty("outcome").GetString()));
        Assert.Equal("started\nfinished\n", run.GetProperty("stdoutTail").GetString());
        Assert.Equal(1, setup.Engine.Created(jobId));
        await Eventually.UntilAsync(async () => (await setup.Engine.ContainersOfAsync(jobId)).Count == 0, "the adopted container to be removed once its result is written");
    }

    [Fact]
    public async Task A_container_that_vanished_while_its_silo_was_down_is_an_infrastructure_failure_and_is_retried()
    {
        await using var setup = await CrashSetup.CreateAsync(nameof(A_container_that_vanished_while_its_silo_was_down_is_an_infrastructure_failure_and_is_retried),
            """{ "id": "work", "image": "IMAGE", "command": ["sh", "-c", "[ \"$ORCHESTRATOR_ATTEMPT\" -ge 2 ] || sleep 300"], "retry": { "initialDelaySeconds": 1 } }""");
        var jobId = await setup.KillWhileRunningAsync();
        await setup.Engine.RemoveContainersOfAsync(jobId);

        await using var second = setup.StartHost();
        await HostWaits.JobsAsync(setup.ConnectionString, setup.ClusterId, 1);

        var job = await HostWaits.ShowAsync(setup.ConnectionString, setup.ClusterId, jobId);
        Assert.Equal(("succeeded", 2), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
        var runs = job.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal("vanished", runs[0].GetProperty("outcome").GetString());
        Assert.Equal((0L, "exited"), (runs[1].GetProperty("exitCode").GetInt64(), runs[1].GetProperty("outcome").GetString()));
        Assert.Equal(2, setup.Engine.Created(jobId));
    }

    [Fact]
    public async Task A_retry_waiting_when_its_silo_is_killed_runs_at_its_time_after_restart()
    {
        await using var setup = await CrashSetup.CreateAsync(nameof(A_retry_waiting_when_its_silo_is_killed_runs_at_its_time_after_restart),
            """
            { "id": "work", "image": "IMAGE", "command": ["sh", "-c", "[ \"$ORCHESTRATOR_ATTEMPT\" -ge 2 ] || exit 75"],
              "exitCodes": { "75": "retry" }, "retry": { "initialDelaySeconds": 12, "maxDelaySeconds": 12, "jitter": 0 } }
            """);
        await using (var first = setup.StartHost())
        {
            await HostWaits.HealthAsync(first);
            await setup.Database.ExecuteAsync("INSERT INTO orders VALUES (1)");
            await Eventually.UntilAsync(
                async () => (await HostWaits.ListAsync(setup.ConnectionString, setup.ClusterId))
                    .Any(j => j.GetProperty("status").GetString() == "awaiting" && j.GetProperty("attempts").GetInt32() == 1),
                "the job to wait for its retry");
            await first.KillAsync();
        }

        await using var second = setup.StartHost();
        var listed = Assert.Single(await HostWaits.JobsAsync(setup.ConnectionString, setup.ClusterId, 1));

        var job = await HostWaits.ShowAsync(setup.ConnectionString, setup.ClusterId, listed.GetProperty("jobId").GetString()!);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var runs = job.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([75L, 0L], runs.Select(r => r.GetProperty("exitCode").GetInt64()));
        var waited = runs[1].GetProperty("startedAt").GetDateTimeOffset() - runs[0].GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(waited >= TimeSpan.FromSeconds(11.9), $"the retry started {waited} after the failed attempt");
    }

    [Fact]
    public async Task A_job_whose_process_is_no_longer_declared_after_a_restart_fails_and_its_container_is_removed()
    {
        await using var setup = await CrashSetup.CreateAsync(nameof(A_job_whose_process_is_no_longer_declared_after_a_restart_fails_and_its_container_is_removed),
            """{ "id": "work", "image": "IMAGE", "command": ["sh", "-c", "sleep 300"] }""");
        var jobId = await setup.KillWhileRunningAsync();
        await setup.RenameProcessAsync("work", "successor");

        await using var second = setup.StartHost();
        await HostWaits.JobsAsync(setup.ConnectionString, setup.ClusterId, 1);

        var job = await HostWaits.ShowAsync(setup.ConnectionString, setup.ClusterId, jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(
            "process 'work' is not in the pipeline graph (attempt 1 abandoned)",
            job.GetProperty("transitions").EnumerateArray().Last().GetProperty("reason").GetString());
        Assert.Equal("abandoned", Assert.Single(job.GetProperty("runs").EnumerateArray()).GetProperty("outcome").GetString());
        await Eventually.UntilAsync(async () => (await setup.Engine.ContainersOfAsync(jobId)).Count == 0, "the abandoned container to be removed");
        var retry = await Programs.CliAsync(setup.ConnectionString, "jobs", "retry", jobId, "--cluster-id", setup.ClusterId);
        Assert.Equal(4, retry.Code);
        Assert.Contains("process 'work' is not in the pipeline graph", retry.Error, StringComparison.Ordinal);
        Assert.Equal(1, setup.Engine.Created(jobId));
    }

    /// <summary>A database with an <c>orders</c> table, a pipeline running one process on it, and fixed silo ports.</summary>
    private sealed class CrashSetup : IAsyncDisposable
    {
        private readonly string _pipelines;
        private readonly int _siloPort = Programs.FreePort();
        private readonly int _gatewayPort = Programs.FreePort();

        private CrashSetup(PostgresDatabase database, string pipelines, EngineProbe engine)
        {
            Database = database;
            _pipelines = pipelines;
            Engine = engine;
        }

        public PostgresDatabase Database { get; }

        public string ConnectionString => Database.ConnectionString;

        public string ClusterId { get; } = "crash-" + Guid.NewGuid().ToString("N")[..8];

        public EngineProbe Engine { get; }

        public static async Task<CrashSetup> CreateAsync(string name, string process)
        {
            var database = await PostgresDatabase.CreateAsync(name);
            await database.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY)");
            var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
            var processJson = process.Replace("IMAGE", TestEnvironment.TestImage, StringComparison.Ordinal);
            using var parsed = JsonDocument.Parse(processJson);
            await File.WriteAllTextAsync(file, $$"""
                {
                  "inputs": [ { "id": "orders", "tables": ["orders"] } ],
                  "processes": [ {{processJson}} ],
                  "links": [ { "id": "work-{{Guid.NewGuid().ToString("N")[..8]}}", "input": "orders", "process": "{{parsed.RootElement.GetProperty("id").GetString()}}" } ]
                }
                """);
            return new CrashSetup(database, file, await EngineProbe.FollowingCreatesAsync());
        }

        /// <summary>Rewrites the pipelines file so the process <paramref name="id"/> (and the link to it) is called <paramref name="newId"/>.</summary>
        public async Task RenameProcessAsync(string id, string newId)
        {
            var text = await File.ReadAllTextAsync(_pipelines);
            await File.WriteAllTextAsync(_pipelines, text.Replace($"\"{id}\"", $"\"{newId}\"", StringComparison.Ordinal));
        }

        public HostProcess StartHost() => HostProcess.Start(ConnectionString, _pipelines, ClusterId, _siloPort, _gatewayPort, FastRescue);

        /// <summary>Starts a host, commits a row, waits for its container to run, kills the host with SIGKILL; returns the job id.</summary>
        public async Task<string> KillWhileRunningAsync()
        {
            await using var first = StartHost();
            await HostWaits.HealthAsync(first);
            await Database.ExecuteAsync("INSERT INTO orders VALUES (1)");
            var jobId = await HostWaits.JobInStatusAsync(ConnectionString, ClusterId, "executing");
            await Eventually.UntilAsync(async () => (await Engine.ContainersOfAsync(jobId)).Any(c => c.State == "running"), "the job's container to run");
            await first.KillAsync();
            return jobId;
        }

        public async ValueTask DisposeAsync()
        {
            Engine.Dispose();
            await Database.DisposeAsync();
        }
    }
}

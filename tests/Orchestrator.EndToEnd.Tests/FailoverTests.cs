using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Two silos on one Postgres: when one dies, the other takes over its stream queues and, through the rescuer, its jobs. An attempt
/// the dead silo had begun but not yet given a container ends as vanished and is retried; no attempt ever gets two
/// containers (counted from the engine's events).
/// </summary>
public sealed class FailoverTests
{
    private const int Rows = 16;

    [Fact]
    public async Task When_one_of_two_silos_is_killed_the_other_finishes_every_job_exactly_once()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(When_one_of_two_silos_is_killed_the_other_finishes_every_job_exactly_once));
        await database.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY)");
        var link = "failover-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "inputs": [ { "id": "orders", "tables": ["orders"] } ],
              "processes": [ { "id": "work", "image": "{{TestEnvironment.TestImage}}", "command": ["sh", "-c", "sleep 3; echo done"], "maxConcurrency": 4 } ],
              "links": [ { "id": "{{link}}", "input": "orders", "process": "work" } ]
            }
            """);
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        using var engine = await EngineProbe.FollowingCreatesAsync();
        await using var first = Start(database.ConnectionString, file, clusterId);
        await using var second = Start(database.ConnectionString, file, clusterId);
        await Task.WhenAll(HostWaits.HealthAsync(first), HostWaits.HealthAsync(second));

        // Placement decides which silo runs the jobs (possibly only one of them): kill one that runs a job.
        await database.ExecuteAsync($"INSERT INTO orders SELECT g FROM generate_series(1, {Rows}) g");
        await Eventually.UntilAsync(
            () => Task.FromResult(RunsAJob(first) || RunsAJob(second)),
            "a silo to run a job",
            TimeSpan.FromSeconds(90));
        var (doomed, survivor) = RunsAJob(first) ? (first, second) : (second, first);
        await doomed.KillAsync();

        var jobs = await HostWaits.JobsAsync(database.ConnectionString, clusterId, Rows, TimeSpan.FromMinutes(4));

        Assert.Equal(Rows, jobs.Count);
        Assert.Equal(Rows, jobs.Select(j => j.GetProperty("eventId").GetInt64()).Distinct().Count());
        Assert.All(jobs, j => Assert.Equal("succeeded", j.GetProperty("status").GetString()));
        foreach (var job in jobs)
        {
            var id = job.GetProperty("jobId").GetString()!;
            var attempts = job.GetProperty("attempts").GetInt32();
            var created = engine.CreatedPerAttempt(id);
            Assert.All(created, attempt => Assert.True(attempt.Value == 1, $"attempt {attempt.Key} of {id} had {attempt.Value} containers"));
            Assert.Equal(1, created.GetValueOrDefault(attempts));
        }

        // An event the dead silo delivered but had not yet deleted comes back when its lease (60 s) expires; its
        // redelivery reaches the existing job and the row is deleted.
        await Eventually.UntilAsync(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log") == 0,
            "the event log to empty",
            TimeSpan.FromSeconds(120));
        Assert.Equal(Rows, (await HostWaits.ListAsync(database.ConnectionString, clusterId)).Count);
        Assert.Contains("adopting attempt", survivor.Output, StringComparison.Ordinal);
    }

    private static bool RunsAJob(HostProcess host) => host.Output.Contains("started on process", StringComparison.Ordinal);

    private static HostProcess Start(string connectionString, string file, string clusterId) =>
        HostProcess.Start(connectionString, file, clusterId, Programs.FreePort(), Programs.FreePort(), "--Orchestrator:JobRescuePeriod=00:00:05");
}

using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The Docker engine goes away while the silo runs (through a socket that can be switched off): the silo keeps
/// running and says so, jobs fail as infrastructure failures and are retried, and complete once the engine is back.
/// </summary>
public sealed class EngineOutageTests
{
    [Fact]
    public async Task While_the_engine_is_away_jobs_retry_and_health_says_so_and_they_complete_when_it_is_back()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(While_the_engine_is_away_jobs_retry_and_health_says_so_and_they_complete_when_it_is_back));
        await database.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY)");
        var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "inputs": [ { "id": "orders", "tables": ["orders"] } ],
              "processes": [ { "id": "work", "image": "{{TestEnvironment.TestImage}}", "command": ["echo", "done"],
                               "retry": { "maxAttempts": 50, "initialDelaySeconds": 1, "maxDelaySeconds": 1, "jitter": 0 } } ],
              "links": [ { "id": "outage-work", "input": "orders", "process": "work" } ]
            }
            """);
        await using var engine = new EngineSwitch();
        var clusterId = "outage-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = HostProcess.Start(
            database.ConnectionString, file, clusterId, Programs.FreePort(), Programs.FreePort(),
            new Dictionary<string, string> { ["DOCKER_HOST"] = engine.DockerHost });
        await HostWaits.HealthAsync(host);
        await HealthAsync(host, "ok");

        await engine.OffAsync();
        var degraded = await HealthAsync(host, "degraded");
        await database.ExecuteAsync("INSERT INTO orders VALUES (1)");
        var jobId = await HostWaits.JobInStatusAsync(database.ConnectionString, clusterId, "awaiting");
        await Eventually.UntilAsync(
            async () => (await HostWaits.ShowAsync(database.ConnectionString, clusterId, jobId)).GetProperty("attempts").GetInt32() >= 2,
            "two attempts failed while the engine is away");
        engine.On();

        var done = Assert.Single(await HostWaits.JobsAsync(database.ConnectionString, clusterId, 1));
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var runs = (await HostWaits.ShowAsync(database.ConnectionString, clusterId, jobId)).GetProperty("runs").EnumerateArray().ToList();
        Assert.All(runs[..^1], r => Assert.Equal("engineUnavailable", r.GetProperty("outcome").GetString()));
        Assert.Equal(("exited", 0L), (runs[^1].GetProperty("outcome").GetString(), runs[^1].GetProperty("exitCode").GetInt64()));
        var engineStatus = degraded.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "engine");
        Assert.False(engineStatus.GetProperty("reachable").GetBoolean());
        await HealthAsync(host, "ok");
        Assert.Contains("Health: engine is unreachable", host.Output, StringComparison.Ordinal);
        await Eventually.UntilAsync(
            () => Task.FromResult(host.Output.Contains("Health: engine is reachable again", StringComparison.Ordinal)),
            "the host to log that the engine is back");
    }

    private static Task<JsonElement> HealthAsync(HostProcess host, string status) => Eventually.WaitAsync(
        async () =>
        {
            using var response = await HostWaits.Http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/healthz"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.Clone();
        },
        health => health.GetProperty("status").GetString() == status,
        $"/healthz to say {status}");
}

using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>`jobs cancel` and `jobs retry` against a running host, as an operator types them.</summary>
public sealed class JobCommandTests
{
    [Fact]
    public async Task The_cli_cancels_a_running_job_then_retries_it_and_refuses_what_does_not_apply()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(The_cli_cancels_a_running_job_then_retries_it_and_refuses_what_does_not_apply));
        await database.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY)");
        var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "inputs": [ { "id": "orders", "tables": ["orders"] } ],
              "processes": [ {
                "id": "work", "image": "{{TestEnvironment.TestImage}}", "stopGraceSeconds": 20,
                "command": ["sh", "-c", "trap 'exit 143' TERM; [ \"$ORCHESTRATOR_ATTEMPT\" -ge 2 ] && exit 0; echo ready; while true; do sleep 0.2; done"]
              } ],
              "links": [ { "id": "cli-work", "input": "orders", "process": "work" } ]
            }
            """);
        var clusterId = "cmd-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = HostProcess.Start(database.ConnectionString, file, clusterId);
        await HostWaits.HealthAsync(host);
        await database.ExecuteAsync("INSERT INTO orders VALUES (1)");
        var jobId = await HostWaits.JobInStatusAsync(database.ConnectionString, clusterId, "executing");
        using var engine = new EngineProbe();
        await engine.PrintedAsync(jobId, "ready");

        var cancel = await Programs.CliAsync(database.ConnectionString, "jobs", "cancel", jobId, "--by", "ops:ann", "--cluster-id", clusterId);

        Assert.True(cancel.Code == 0, cancel.Error);
        Assert.Contains("cancelled", cancel.Output, StringComparison.Ordinal);
        var cancelled = await HostWaits.ShowAsync(database.ConnectionString, clusterId, jobId);
        Assert.Equal("discarded", cancelled.GetProperty("status").GetString());
        var last = cancelled.GetProperty("transitions").EnumerateArray().Last();
        Assert.Equal("ops:ann", last.GetProperty("by").GetString());
        Assert.True(Assert.Single(cancelled.GetProperty("runs").EnumerateArray()).GetProperty("exitCode").GetInt64() == 143, cancelled.ToString());

        var again = await Programs.CliAsync(database.ConnectionString, "jobs", "cancel", jobId, "--cluster-id", clusterId);
        Assert.Equal(4, again.Code);
        Assert.Contains("Discarded", again.Error, StringComparison.Ordinal);

        var retry = await Programs.CliAsync(database.ConnectionString, "jobs", "retry", jobId, "--by", "ops:ann", "--json", "--cluster-id", clusterId);
        Assert.True(retry.Code == 0, retry.Error);
        using (var answer = JsonDocument.Parse(retry.Output))
        {
            Assert.True(answer.RootElement.GetProperty("accepted").GetBoolean());
        }

        var done = Assert.Single(await HostWaits.JobsAsync(database.ConnectionString, clusterId, 1));
        Assert.Equal(("succeeded", 2), (done.GetProperty("status").GetString(), done.GetProperty("attempts").GetInt32()));
        var unknown = await Programs.CliAsync(database.ConnectionString, "jobs", "retry", "job:cli-work:424242", "--cluster-id", clusterId);
        Assert.Equal(3, unknown.Code);
    }
}

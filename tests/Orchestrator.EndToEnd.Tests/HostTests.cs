using System.Net;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The silo host as users run it: a separate process started from a pipelines file, queried with the CLI.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task The_host_runs_a_pipelines_file_serves_the_dashboard_and_the_cli_lists_and_shows_jobs()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(The_host_runs_a_pipelines_file_serves_the_dashboard_and_the_cli_lists_and_shows_jobs));
        await database.ExecuteAsync("CREATE TABLE orders (id serial PRIMARY KEY, customer text)");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = HostProcess.Start(database.ConnectionString, await WritePipelinesAsync(database.Name, "orders"), clusterId);
        await HostWaits.HealthAsync(host);

        var dashboard = await HostWaits.Http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/dashboard/"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("text/html", dashboard.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        await database.ExecuteAsync("INSERT INTO orders (customer) VALUES ('ada'), ('grace')");
        var jobs = await HostWaits.JobsAsync(database.ConnectionString, clusterId, 2);
        Assert.All(jobs, j => Assert.Equal("succeeded", j.GetProperty("status").GetString()));

        var id = jobs[0].GetProperty("jobId").GetString()!;
        var (code, output, error) = await Programs.CliAsync(database.ConnectionString, "jobs", "show", id, "--json", "--cluster-id", clusterId);
        Assert.True(code == 0, error);
        using var job = JsonDocument.Parse(output);
        var run = Assert.Single(job.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(0, run.GetProperty("exitCode").GetInt64());
        Assert.Contains("\"table\":\"orders\"", run.GetProperty("stdoutTail").GetString(), StringComparison.Ordinal);

        var (textCode, text, _) = await Programs.CliAsync(database.ConnectionString, "jobs", "list", "--cluster-id", clusterId);
        Assert.Equal(0, textCode);
        Assert.Contains(id, text, StringComparison.Ordinal);
        Assert.Contains("succeeded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_committed_while_no_silo_runs_are_processed_after_restart_none_lost_none_doubled()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Rows_committed_while_no_silo_runs_are_processed_after_restart_none_lost_none_doubled));
        await database.ExecuteAsync("CREATE TABLE orders (id serial PRIMARY KEY, customer text)");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var pipelines = await WritePipelinesAsync(database.Name, "orders");
        var (siloPort, gatewayPort) = (Programs.FreePort(), Programs.FreePort());

        await using (var first = HostProcess.Start(database.ConnectionString, pipelines, clusterId, siloPort, gatewayPort))
        {
            await HostWaits.HealthAsync(first);
            await database.ExecuteAsync("INSERT INTO orders (customer) SELECT 'before-' || g FROM generate_series(1, 3) g");
            await HostWaits.JobsAsync(database.ConnectionString, clusterId, 3);
            await first.KillAsync();
        }

        await database.ExecuteAsync("INSERT INTO orders (customer) SELECT 'while-down-' || g FROM generate_series(1, 12) g");

        await using var second = HostProcess.Start(database.ConnectionString, pipelines, clusterId, siloPort, gatewayPort);
        await HostWaits.HealthAsync(second);
        var jobs = await HostWaits.JobsAsync(database.ConnectionString, clusterId, 15);

        Assert.Equal(15, jobs.Count);
        Assert.Equal(15, jobs.Select(j => j.GetProperty("eventId").GetInt64()).Distinct().Count());
        Assert.All(jobs, j => Assert.Equal(("succeeded", 1), (j.GetProperty("status").GetString(), j.GetProperty("attempts").GetInt32())));
        await Eventually.UntilAsync(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.event_log") == 0,
            "the event log to empty (a row the killed silo had leased comes back after its 60 s lease)",
            TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task An_invalid_pipelines_file_stops_the_host_before_anything_is_installed()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(An_invalid_pipelines_file_stops_the_host_before_anything_is_installed));
        await database.ExecuteAsync("CREATE TABLE orders (id serial PRIMARY KEY)");
        var pipelines = await WritePipelinesAsync(database.Name, "orders", "no_such_table");

        await using var host = HostProcess.Start(database.ConnectionString, pipelines, "e2e-invalid");
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Contains("no_such_table", host.Output, StringComparison.Ordinal);
        Assert.Contains("UnknownTable", host.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'orchestrator'"));
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE tablename ILIKE 'orleans%'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));
    }

    private static async Task<string> WritePipelinesAsync(string name, params string[] tables)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}.pipelines.json");
        var definition = new
        {
            inputs = new[] { new { id = "orders", tables } },
            processes = new[]
            {
                new { id = "print", image = TestEnvironment.TestImage, command = new[] { "sh", "-c", "cat \"$ORCHESTRATOR_EVENT_FILE\"" } },
            },
            links = new[] { new { id = "orders-print", input = "orders", process = "print" } },
        };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(definition));
        return file;
    }
}

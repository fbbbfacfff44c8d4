using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A backfill started through the CLI turns the rows that existed before the pipeline into one job each, and a silo
/// killed with SIGKILL in the middle of it leaves no row missed or doubled once a silo runs again.
/// </summary>
public sealed class BackfillTests
{
    private const int Rows = 150;

    [Fact]
    public async Task A_backfill_killed_mid_run_resumes_after_restart_with_exactly_one_job_per_matching_row()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_backfill_killed_mid_run_resumes_after_restart_with_exactly_one_job_per_matching_row));
        await database.ExecuteAsync(
            $"""
            CREATE TABLE orders (id integer PRIMARY KEY, kind text NOT NULL);
            INSERT INTO orders SELECT g, CASE WHEN g % 4 = 0 THEN 'skip' ELSE 'keep' END FROM generate_series(1, {Rows * 4 / 3}) g;
            """);
        var clusterId = "backfill-" + Guid.NewGuid().ToString("N")[..8];
        var pipelines = await PipelinesFileAsync(database.Name);
        var (siloPort, gatewayPort) = (Programs.FreePort(), Programs.FreePort());
        // Few read events may wait in the log, so the backfill moves only as fast as its events are delivered
        // and the kill lands in the middle of it.
        string[] settings = ["--Orchestrator:BackfillMaxPendingEvents=5"];

        string id;
        await using (var first = HostProcess.Start(database.ConnectionString, pipelines, clusterId, siloPort, gatewayPort, settings))
        {
            await HostWaits.HealthAsync(first);
            var started = await Programs.CliAsync(database.ConnectionString, "backfill", "orders", "--where", "kind = 'keep'", "--page-size", "5", "--json", "--cluster-id", clusterId);
            Assert.True(started.Code == 0, started.Error);
            using (var json = JsonDocument.Parse(started.Output))
            {
                id = Assert.Single(json.RootElement.EnumerateArray()).GetProperty("id").GetString()!;
            }

            // Polled in the database: a CLI call takes longer than the few pages before the kill.
            await Eventually.UntilAsync(async () => await RowsDoneAsync(database, id) >= 5, "the backfill to copy a page");
            await first.KillAsync();
        }

        Assert.InRange(await RowsDoneAsync(database, id), 5, Rows - 1);
        await using var second = HostProcess.Start(database.ConnectionString, pipelines, clusterId, siloPort, gatewayPort, settings);
        await HostWaits.HealthAsync(second);
        await HostWaits.JobsAsync(database.ConnectionString, clusterId, Rows, TimeSpan.FromMinutes(4));

        var status = await Programs.CliAsync(database.ConnectionString, "backfill", "status", id, "--json", "--cluster-id", clusterId);
        using var backfill = JsonDocument.Parse(status.Output);
        Assert.Equal(("done", Rows), (backfill.RootElement.GetProperty("status").GetString(), backfill.RootElement.GetProperty("rowsDone").GetInt32()));
        var perRow = await database.ScalarAsync<string>(
            """
            SELECT string_agg(n::text, ',' ORDER BY n) FROM (
                SELECT DISTINCT count(*) AS n FROM orchestrator.jobs
                 WHERE record -> 'event' ->> 'operation' = 'read' GROUP BY record -> 'event' -> 'newRow' ->> 'id') x
            """);
        Assert.Equal("1", perRow);
        Assert.Equal($"succeeded:{Rows}", await database.ScalarAsync<string>(
            "SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT status, count(*) AS n FROM orchestrator.jobs GROUP BY status) s"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE record -> 'event' -> 'newRow' ->> 'kind' <> 'keep'"));
    }

    [Fact]
    public async Task Refusals_create_nothing_and_a_backfill_started_over_http_reports_its_progress()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(Refusals_create_nothing_and_a_backfill_started_over_http_reports_its_progress));
        await database.ExecuteAsync("CREATE TABLE orders (id integer PRIMARY KEY, kind text NOT NULL)");
        var clusterId = "backfill-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = HostProcess.Start(database.ConnectionString, await PipelinesFileAsync(database.Name), clusterId);
        await HostWaits.HealthAsync(host);

        var refused = await Programs.CliAsync(database.ConnectionString, "backfill", "orders", "--where", "colour = 'red'", "--cluster-id", clusterId);

        Assert.Equal(2, refused.Code);
        Assert.Contains("InvalidFilter", refused.Error, StringComparison.Ordinal);
        Assert.Contains("no column 'colour' (at character 1)", refused.Error, StringComparison.Ordinal);
        using var response = await HostWaits.Http.PostAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/api/inputs/orders/backfill"), new StringContent("""{"links": ["nope"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"unknownLink\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.backfills"));

        using var created = await HostWaits.Http.PostAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/api/inputs/orders/backfill"), null);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        using var createdJson = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = createdJson.RootElement[0].GetProperty("id").GetString();
        var shown = await Eventually.WaitAsync(
            () => HostWaits.Http.GetStringAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/api/backfills/{id}")),
            body => body.Contains("\"status\":\"done\"", StringComparison.Ordinal),
            "the empty backfill to be done");
        Assert.Contains("\"rowsDone\":0", shown, StringComparison.Ordinal);
    }

    private static Task<long> RowsDoneAsync(PostgresDatabase database, string id) =>
        database.ScalarAsync<long>("SELECT rows_done FROM orchestrator.backfills WHERE id = $1", id);

    private static async Task<string> PipelinesFileAsync(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}.pipelines.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "inputs": [ { "id": "orders", "tables": ["orders"] } ],
              "processes": [ { "id": "work", "image": "{{TestEnvironment.TestImage}}", "command": ["true"], "maxConcurrency": 8 } ],
              "links": [ { "id": "work-{{Guid.NewGuid().ToString("N")[..8]}}", "input": "orders", "process": "work" } ]
            }
            """);
        return file;
    }
}

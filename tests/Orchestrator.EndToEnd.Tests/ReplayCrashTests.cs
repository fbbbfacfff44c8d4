using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A replay of many jobs whose silo process is killed with SIGKILL part-way: the restarted silo carries it on from
/// its last written page, and every selected job gets exactly one new job, none missed, none doubled.
/// </summary>
public sealed class ReplayCrashTests
{
    private const int Jobs = 3000;

    [Fact]
    public async Task A_replay_cut_off_by_kill_9_carries_on_after_restart_and_replays_every_job_exactly_once()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(ReplayCrashTests));
        await database.ExecuteAsync("CREATE TABLE orders (id int PRIMARY KEY)");
        var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "inputs": [ { "id": "orders", "tables": ["orders"] } ],
              "processes": [ { "id": "p", "image": "{{TestEnvironment.TestImage}}", "command": ["false"], "maxConcurrency": 1,
                               "retry": { "maxAttempts": 1, "retryOn": [] } } ],
              "links": [ { "id": "rp", "input": "orders", "process": "p" } ]
            }
            """);
        var (clusterId, siloPort, gatewayPort) = ("replay-" + Guid.NewGuid().ToString("N")[..8], Programs.FreePort(), Programs.FreePort());
        string replayId;
        await using (var first = HostProcess.Start(database.ConnectionString, file, clusterId, siloPort, gatewayPort))
        {
            await HostWaits.HealthAsync(first);

            // One job that really failed, then its record copied to 2,999 more failed jobs of the link.
            await database.ExecuteAsync("INSERT INTO orders VALUES (1)");
            await HostWaits.JobsAsync(database.ConnectionString, clusterId, 1);
            await database.ExecuteAsync(
                """
                INSERT INTO orchestrator.jobs
                SELECT service_id, 'job:rp:' || g, link_id, process_id, input_id, schema_name, table_name, event_id + g,
                       status, attempts, created_at - make_interval(secs => g), updated_at, finished_at, last_exit_code,
                       replay_of, version, jsonb_set(record, '{jobId}', to_jsonb('job:rp:' || g)), silo
                  FROM orchestrator.jobs, generate_series(2, $1) AS g
                 WHERE job_id = 'job:rp:1'
                """,
                Jobs);

            var (code, output, error) = await Programs.CliAsync(database.ConnectionString, "replays", "start", "rp", "--json", "--by", "test", "--cluster-id", clusterId);
            Assert.True(code == 0, error);
            using (var started = JsonDocument.Parse(output))
            {
                replayId = started.RootElement.GetProperty("replayId").GetString()!;
                Assert.Equal(Jobs, started.RootElement.GetProperty("selected").GetInt64());
            }

            var cut = await Eventually.WaitAsync(() => ProgressAsync(first, replayId), p => p.Replayed > 0, "the replay's first page");
            await first.KillAsync();
            Assert.True(cut.Replayed < Jobs, $"the replay was done ({cut.Replayed} jobs) before the kill could cut it off");
        }

        await using var second = HostProcess.Start(database.ConnectionString, file, clusterId, siloPort, gatewayPort);
        await HostWaits.HealthAsync(second);
        var done = await Eventually.WaitAsync(() => ProgressAsync(second, replayId), p => p.Status == "done", "the replay to carry on", TimeSpan.FromSeconds(120));

        Assert.Equal(((long)Jobs, 0L), (done.Replayed, done.Skipped));
        var copies = await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE replay_of IS NOT NULL");
        var replayed = await database.ScalarAsync<long>("SELECT count(DISTINCT replay_of) FROM orchestrator.jobs");
        var wrong = await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE replay_of IS NOT NULL AND job_id <> replay_of || '~' || $1", replayId);
        Assert.Equal(((long)Jobs, (long)Jobs, 0L), (copies, replayed, wrong));

        // Sent again with its id (a client retrying a request whose answer it lost), the replay re-runs nothing.
        using (var again = await HostWaits.Http.PostAsync(new Uri($"http://127.0.0.1:{second.HttpPort}/api/links/rp/replay?id={replayId}"), null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, again.StatusCode);
        }

        Assert.Equal((long)Jobs, await database.ScalarAsync<long>("SELECT count(*) FROM orchestrator.jobs WHERE replay_of IS NOT NULL"));
        using var bad = await HostWaits.Http.PostAsync(new Uri($"http://127.0.0.1:{second.HttpPort}/api/links/rp/replay?id=no%20spaces"), null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a replay id", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badJob = await HostWaits.Http.PostAsync(new Uri($"http://127.0.0.1:{second.HttpPort}/api/jobs/job:rp:1/replay?mode=sideways&id=no%20spaces"), null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badJob.StatusCode);
        var problems = await badJob.Content.ReadAsStringAsync();
        Assert.Contains("mode: 'sideways' is not a replay mode (use new-jobs or new-attempts)", problems, StringComparison.Ordinal);
        Assert.Contains("id: 'no spaces' is not a replay id", problems, StringComparison.Ordinal);
    }

    private static async Task<(string Status, long Replayed, long Skipped)> ProgressAsync(HostProcess host, string replayId)
    {
        using var response = await HostWaits.Http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/api/replays/{replayId}"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return (root.GetProperty("status").GetString()!, root.GetProperty("replayed").GetInt64(), root.GetProperty("skipped").GetInt64());
    }
}

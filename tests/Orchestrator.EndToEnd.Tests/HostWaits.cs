using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>Waits on a host process and its jobs the way a user would: over HTTP and through the CLI.</summary>
internal static class HostWaits
{
    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Waits until the host answers /healthz; fails at once with its output if it exited.</summary>
    public static Task HealthAsync(HostProcess host) => Eventually.UntilAsync(
        async () =>
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {host.ExitCode}:\n{host.Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/healthz"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        },
        "the host to answer /healthz",
        TimeSpan.FromSeconds(90));

    /// <summary>The jobs `jobs list --json` prints; empty while the CLI cannot reach the cluster.</summary>
    public static async Task<List<JsonElement>> ListAsync(string connectionString, string clusterId)
    {
        var (code, output, _) = await Programs.CliAsync(connectionString, "jobs", "list", "--json", "--limit", "1000", "--cluster-id", clusterId);
        if (code != 0)
        {
            return [];
        }

        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("jobs").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Waits until the CLI lists at least <paramref name="count"/> jobs, all finished.</summary>
    public static Task<List<JsonElement>> JobsAsync(string connectionString, string clusterId, int count, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(
            () => ListAsync(connectionString, clusterId),
            list => list.Count >= count && list.All(j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "discarded"),
            $"{count} finished jobs listed by the CLI",
            timeout ?? TimeSpan.FromSeconds(120));

    /// <summary>Waits until the CLI lists a job in <paramref name="status"/> and returns its id.</summary>
    public static async Task<string> JobInStatusAsync(string connectionString, string clusterId, string status, TimeSpan? timeout = null)
    {
        var jobs = await Eventually.WaitAsync(
            () => ListAsync(connectionString, clusterId),
            list => list.Any(j => j.GetProperty("status").GetString() == status),
            $"a job in status {status}",
            timeout ?? TimeSpan.FromSeconds(120));
        return jobs.First(j => j.GetProperty("status").GetString() == status).GetProperty("jobId").GetString()!;
    }

    /// <summary>The job's record as `jobs show --json` prints it.</summary>
    public static async Task<JsonElement> ShowAsync(string connectionString, string clusterId, string jobId)
    {
        var (code, output, error) = await Programs.CliAsync(connectionString, "jobs", "show", jobId, "--json", "--cluster-id", clusterId);
        Assert.True(code == 0, $"jobs show exited {code}: {error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }
}

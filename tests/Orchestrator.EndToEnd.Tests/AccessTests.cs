using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The host's HTTP surface is closed to callers without a key once keys are configured, and an exposed host without keys does not start.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task With_an_api_key_configured_the_api_and_dashboard_answer_401_without_it_and_200_with_it()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(AccessTests));
        var (code, output, error) = await Programs.CliAsync(database.ConnectionString, "keys", "new");
        Assert.True(code == 0, error);
        var key = Line(output, "key");
        var hash = Line(output, "hash");
        await using var host = HostProcess.Start(
            database.ConnectionString, await EmptyPipelinesAsync(database.Name), "e2e-" + Guid.NewGuid().ToString("N")[..8],
            Programs.FreePort(), Programs.FreePort(), $"--Orchestrator:Access:ApiKeyHashes:0={hash}");
        await HostWaits.HealthAsync(host);
        var api = new Uri($"http://127.0.0.1:{host.HttpPort}/api/jobs");
        var dashboard = new Uri($"http://127.0.0.1:{host.HttpPort}/dashboard/");

        using var anonymous = await HostWaits.Http.GetAsync(api);
        using var wrong = await SendAsync(api, new AuthenticationHeaderValue("Bearer", "not-the-key"));
        using var bearer = await SendAsync(api, new AuthenticationHeaderValue("Bearer", key));
        using var basic = await SendAsync(dashboard, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:" + key))));
        using var dashboardAnonymous = await HostWaits.Http.GetAsync(dashboard);
        using var health = await HostWaits.Http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/healthz"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, dashboardAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(key, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_listening_beyond_loopback_without_an_api_key_refuses_to_start_before_installing_anything()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(A_host_listening_beyond_loopback_without_an_api_key_refuses_to_start_before_installing_anything));

        await using var host = HostProcess.Start(
            database.ConnectionString, await EmptyPipelinesAsync(database.Name), "e2e-exposed", Programs.FreePort(), Programs.FreePort(),
            "--urls", $"http://0.0.0.0:{Programs.FreePort()}");
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Contains("Refusing to start", host.Output, StringComparison.Ordinal);
        Assert.Contains("Orchestrator__Access__ApiKeyHashes__0", host.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'orchestrator'"));
    }

    private static async Task<HttpResponseMessage> SendAsync(Uri uri, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        return await HostWaits.Http.SendAsync(request);
    }

    private static string Line(string output, string name) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(name + " ", StringComparison.Ordinal))[name.Length..].Trim();

    private static async Task<string> EmptyPipelinesAsync(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}.pipelines.json");
        await File.WriteAllTextAsync(file, """{ "inputs": [], "processes": [], "links": [] }""");
        return file;
    }
}

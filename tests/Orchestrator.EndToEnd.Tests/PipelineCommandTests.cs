using System.Net;
using System.Text;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The pipeline graph of a running host, read and changed with the CLI and over HTTP.</summary>
public sealed class PipelineCommandTests
{
    [Fact]
    public async Task The_cli_and_http_show_diff_validate_and_apply_a_graph_while_the_host_runs()
    {
        await using var database = await PostgresDatabase.CreateAsync(nameof(The_cli_and_http_show_diff_validate_and_apply_a_graph_while_the_host_runs));
        await database.ExecuteAsync("CREATE TABLE orders (id serial PRIMARY KEY, customer text)");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var first = await WriteAsync(database.Name + "-1", ["orders-print"], "print");
        var second = await WriteAsync(database.Name + "-2", ["orders-print", "orders-again"], "print");
        var invalid = await WriteAsync(database.Name + "-3", ["orders-print"], "undeclared");
        await using var host = HostProcess.Start(database.ConnectionString, first, clusterId);
        await HostWaits.HealthAsync(host);

        Task<(int Code, string Output, string Error)> Cli(params string[] args) => Programs.CliAsync(database.ConnectionString, [.. args, "--cluster-id", clusterId]);

        var (showCode, shown, _) = await Cli("pipelines", "show", "--json");
        Assert.Equal(0, showCode);
        Assert.Equal(1, JsonDocument.Parse(shown).RootElement.GetProperty("version").GetInt64());

        var diff = await Cli("pipelines", "diff", "-f", second);
        Assert.Equal(1, diff.Code);
        Assert.Contains("+ link orders-again", diff.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("pipelines", "apply", "-f", second, "--dry-run")).Code);
        Assert.Equal(0, (await Cli("pipelines", "validate", "-f", second)).Code);
        var refused = await Cli("pipelines", "apply", "-f", invalid);
        Assert.Equal(2, refused.Code);
        Assert.Contains("UnknownProcess", refused.Output + refused.Error, StringComparison.Ordinal);

        var applied = await Cli("pipelines", "apply", "-f", second);
        Assert.True(applied.Code == 0, applied.Output + applied.Error);
        Assert.Contains("Applied as version 2", applied.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await Cli("pipelines", "apply", "-f", second)).Code);
        Assert.Equal(0, (await Cli("pipelines", "diff", "-f", second)).Code);

        var api = new Uri($"http://127.0.0.1:{host.HttpPort}/api/pipelines");
        using var current = JsonDocument.Parse(await HostWaits.Http.GetStringAsync(api));
        Assert.Equal(2, current.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(2, current.RootElement.GetProperty("definition").GetProperty("links").GetArrayLength());
        using var validated = await HostWaits.Http.PostAsync(new Uri(api + ":validate"), Body(await File.ReadAllTextAsync(first)));
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Contains("\"outcome\":\"valid\"", await validated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badBody = await HostWaits.Http.PutAsync(api, Body(await File.ReadAllTextAsync(invalid)));
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Contains("\"code\":\"unknownProcess\"", await badBody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var staleRequest = new HttpRequestMessage(HttpMethod.Put, api) { Content = Body(await File.ReadAllTextAsync(first)) };
        staleRequest.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var stale = await HostWaits.Http.SendAsync(staleRequest);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        await database.ExecuteAsync("INSERT INTO orders (customer) VALUES ('ada')");
        var jobs = await HostWaits.JobsAsync(database.ConnectionString, clusterId, 2);
        Assert.Equal(["orders-again", "orders-print"], jobs.Select(j => j.GetProperty("linkId").GetString()).Order(StringComparer.Ordinal));
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> WriteAsync(string name, string[] links, string process)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}.pipelines.json");
        var definition = new
        {
            inputs = new[] { new { id = "orders", tables = new[] { "orders" } } },
            processes = new[] { new { id = "print", image = TestEnvironment.TestImage, command = new[] { "true" } } },
            links = links.Select(l => new { id = l, input = "orders", process }).ToArray(),
        };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(definition));
        return file;
    }
}

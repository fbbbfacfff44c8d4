using System.CommandLine;
using System.Text.Json;
using Orchestrator.Abstractions;

namespace Orchestrator.Cli;

/// <summary>What every command shares: the output streams, the <c>--json</c> switch and the way to the cluster.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Option<bool> json, Func<ParseResult, CancellationToken, Task<ClusterConnection>> connect)
{
    private static readonly JsonSerializerOptions Json = OrchestratorJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Task<ClusterConnection> ConnectAsync(ParseResult parse, CancellationToken ct) => connect(parse, ct);

    /// <summary><paramref name="value"/> as JSON under <c>--json</c>, otherwise as <paramref name="text"/> renders it.</summary>
    public string Render<T>(ParseResult parse, T value, Func<T, string> text) =>
        parse.GetValue(json) ? JsonSerializer.Serialize(value, Json) : text(value);

    /// <summary>Writes <paramref name="value"/> rendered by <see cref="Render"/> to the output.</summary>
    public Task PrintAsync<T>(ParseResult parse, T value, Func<T, string> text) => Output.WriteLineAsync(Render(parse, value, text));
}

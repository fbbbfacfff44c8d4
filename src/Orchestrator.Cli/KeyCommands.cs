using System.CommandLine;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Cli;

/// <summary><c>keys new</c>: makes an API key for the host's HTTP surface and the hash to configure for it. Needs no cluster.</summary>
internal static class KeyCommands
{
    public static Command Create(CliContext cli)
    {
        var create = new Command("new", "Make a random API key and print it with the hash to put in Orchestrator:Access:ApiKeyHashes.");
        create.SetAction(async (parse, _) =>
        {
            var (key, hash) = ApiKeys.Create();
            await cli.PrintAsync(parse, new NewKey(key, hash), k =>
                $"key   {k.Key}\nhash  {k.Hash}\n\nGive the key to the callers (Authorization: Bearer KEY); configure only the hash, e.g.\n"
                + $"  Orchestrator__Access__ApiKeyHashes__0={k.Hash}\nThe key is not shown again.");
            return 0;
        });
        return new Command("keys", "API keys of the host's HTTP API and dashboard.") { create };
    }

    private sealed record NewKey(string Key, string Hash);
}

using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The database of each Postgres input: its own connection string, the secret it names
/// (<see cref="PostgresInputDefinition.ConnectionStringSecret"/>), or the host's database when it names neither.
/// The strings are secrets: never logged.
/// </summary>
/// <param name="defaultConnectionString">The database of inputs that name none.</param>
/// <param name="secrets">The silo's secrets.</param>
public sealed class InputConnections(string defaultConnectionString, ISecrets secrets)
{
    /// <summary>Inputs that name a secret cannot be resolved: for callers whose graph has none.</summary>
    public InputConnections(string defaultConnectionString)
        : this(defaultConnectionString, SecretSet.Empty)
    {
    }

    /// <summary>The connection string of <paramref name="input"/>; null when it names a secret this silo does not have.</summary>
    public string? Find(PostgresInputDefinition input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.ConnectionString
            ?? (input.ConnectionStringSecret is { } name ? secrets.Find(name) : defaultConnectionString);
    }

    /// <summary>The connection string of <paramref name="input"/>; throws, saying what to configure, when its secret is missing.</summary>
    public string Of(PostgresInputDefinition input) =>
        Find(input) ?? throw new InvalidOperationException($"Input '{input.Id}': {SecretSet.Missing(input.ConnectionStringSecret!)}.");
}

namespace Orchestrator.Abstractions.Secrets;

/// <summary>Secrets held in memory, read once from configuration (or given by a test).</summary>
public sealed class SecretSet : ISecrets
{
    private readonly Dictionary<string, string> _values;

    /// <summary>Holds <paramref name="values"/>, names compared without regard to case as configuration keys are.</summary>
    public SecretSet(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No secrets.</summary>
    public static SecretSet Empty { get; } = new([]);

    /// <inheritdoc />
    public string? Find(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value of <paramref name="name"/>; throws a message that says where to configure it when there is none.</summary>
    public static string Require(ISecrets secrets, string name)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return secrets.Find(name) ?? throw new InvalidOperationException(Missing(name));
    }

    /// <summary>What to tell a user whose graph names a secret this silo lacks.</summary>
    public static string Missing(string name) =>
        $"the secret '{name}' is not configured on this silo; set Orchestrator:Secrets:{name} (environment variable Orchestrator__Secrets__{name})";
}

using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Abstractions.Secrets;

/// <summary>
/// API keys and their stored form: a key is 32 random bytes (base64url), stored as the hex SHA-256 of its text. A
/// random key needs no salt or slow hash; comparisons take the same time whatever matches.
/// </summary>
public sealed class ApiKeys
{
    /// <summary>The prefix of a stored hash, naming its algorithm.</summary>
    public const string HashPrefix = "sha256:";

    private readonly byte[][] _hashes;

    /// <summary>Accepts the keys whose hashes are <paramref name="hashes"/> (each valid by <see cref="HashProblem"/>).</summary>
    public ApiKeys(IEnumerable<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        _hashes = [.. hashes.Select(h => Convert.FromHexString(h[HashPrefix.Length..]))];
    }

    /// <summary>Whether any key is configured.</summary>
    public bool Any => _hashes.Length > 0;

    /// <summary>Whether <paramref name="key"/> is one of the accepted keys.</summary>
    public bool Accepts(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var accepted = false;
        foreach (var known in _hashes)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(hash, known);
        }

        return accepted;
    }

    /// <summary>A new random key and the hash to configure for it.</summary>
    public static (string Key, string Hash) Create()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, HashOf(key));
    }

    /// <summary>The stored form of <paramref name="key"/>.</summary>
    public static string HashOf(string key) =>
        HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>What is wrong with a configured hash, or null.</summary>
    public static string? HashProblem(string? hash) =>
        hash is not null && hash.StartsWith(HashPrefix, StringComparison.Ordinal) && hash.Length == HashPrefix.Length + 64
            && hash[HashPrefix.Length..].All(Uri.IsHexDigit)
            ? null
            : $"'{Shorten(hash)}' is not an API key hash: use {HashPrefix} and 64 hex digits, as `orchestrator keys new` prints";

    // A mistaken entry might be a key itself: never echo all of it.
    private static string Shorten(string? hash) => hash is null ? "" : hash.Length <= 12 ? hash : hash[..12] + "…";
}

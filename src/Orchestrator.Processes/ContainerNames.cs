using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Processes;

/// <summary>
/// The name of an attempt's container. It is the same for every call about the attempt, so the engine itself
/// refuses a second container for it (409 Conflict), and it is a valid Docker name
/// (<c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>) whatever the job id: the readable part replaces other characters and is
/// cut short, and a hash of the scope and the exact job id keeps distinct ids and deployments apart.
/// </summary>
internal static class ContainerNames
{
    /// <summary>How many characters of the job id the readable part keeps.</summary>
    public const int ReadableJobIdLength = 64;

    private const string Prefix = "orchestrator-";
    private const int HashBytes = 6;

    /// <summary>The container name of attempt <paramref name="attempt"/> of <paramref name="jobId"/> in <paramref name="scope"/>.</summary>
    public static string For(string scope, string jobId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(jobId);
        var readable = new StringBuilder(Math.Min(jobId.Length, ReadableJobIdLength));
        foreach (var c in jobId.AsSpan(0, Math.Min(jobId.Length, ReadableJobIdLength)))
        {
            readable.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + jobId)).AsSpan(0, HashBytes));
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{readable}-a{attempt}-{hash}");
    }
}

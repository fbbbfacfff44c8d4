using System.Text.RegularExpressions;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Replay ids: short, and safe inside a job id (<see cref="JobKeys.Replay"/>). A caller that may send its request
/// twice (a retried HTTP call) picks the id itself, so the second request finds the replay the first started.
/// </summary>
public static partial class ReplayIds
{
    /// <summary>The longest id a caller may pick.</summary>
    public const int MaxLength = 64;

    /// <summary>A new replay id, e.g. <c>r3f9c2a1b7d4e</c>.</summary>
    public static string New() => "r" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The problem with <paramref name="id"/> as a replay id, or null: letters, digits, '-' and '_', at most <see cref="MaxLength"/>.</summary>
    public static string? Problem(string id) =>
        Allowed().IsMatch(id) ? null : $"'{id}' is not a replay id (1 to {MaxLength} letters, digits, '-' or '_')";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Allowed();
}

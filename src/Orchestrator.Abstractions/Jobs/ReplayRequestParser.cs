namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// A replay of a link's jobs from text values, as the CLI's options and the HTTP query string give them: the keys
/// <c>status</c>, <c>from</c>, <c>until</c> (read as <see cref="JobQueryParser"/> reads them) and <c>mode</c>
/// (<c>new-jobs</c> or <c>new-attempts</c>).
/// </summary>
public static class ReplayRequestParser
{
    /// <summary>The keys a replay reads.</summary>
    public static readonly IReadOnlyList<string> Keys = ["status", "from", "until", "mode"];

    /// <summary>
    /// The replay of <paramref name="linkId"/>'s jobs that <paramref name="values"/> describe, asked for by
    /// <paramref name="requestedBy"/>, and every problem (of the values, and of the request itself).
    /// </summary>
    public static (ReplayRequest Request, IReadOnlyList<string> Problems) Parse(
        string linkId, string requestedBy, Func<string, IReadOnlyList<string>> values, Func<string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        label ??= key => key;
        var (query, problems) = JobQueryParser.Parse(key => Keys.Contains(key) ? values(key) : [], label);
        var all = problems.ToList();
        var mode = ReplayMode.NewJobs;
        if (values("mode") is { Count: > 0 } modes)
        {
            if (ParseMode(modes[^1]) is { } parsed)
            {
                mode = parsed;
            }
            else
            {
                all.Add($"{label("mode")}: {ModeProblem(modes[^1])}");
            }
        }

        var request = new ReplayRequest
        {
            LinkId = linkId,
            Statuses = query.Statuses,
            CreatedFrom = query.CreatedFrom,
            CreatedBefore = query.CreatedBefore,
            Mode = mode,
            RequestedBy = requestedBy,
        };
        all.AddRange(request.Problems());
        return (request, all);
    }

    /// <summary>What is wrong with <paramref name="text"/> as a mode, for a value <see cref="ParseMode"/> refused.</summary>
    public static string ModeProblem(string text) => $"'{text}' is not a replay mode (use new-jobs or new-attempts)";

    /// <summary>The mode <paramref name="text"/> names (<c>new-jobs</c>, <c>new-attempts</c>, singular too), or null.</summary>
    public static ReplayMode? ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "new-jobs" or "new-job" => ReplayMode.NewJobs,
        "new-attempts" or "new-attempt" => ReplayMode.NewAttempts,
        _ => null,
    };
}

using System.Globalization;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Reads a <see cref="JobQuery"/> from named text values, as the HTTP query string and the CLI's options give
/// them: <c>link</c>, <c>process</c>, <c>input</c>, <c>table</c>, <c>status</c>, <c>notStatus</c> (each repeated or
/// comma-separated), <c>minAttempts</c>, <c>from</c>, <c>until</c> (ISO 8601 times), <c>eventId</c>, <c>limit</c>,
/// <c>cursor</c>. Every value that cannot be read is one problem, named with its key.
/// </summary>
public static class JobQueryParser
{
    /// <summary>The keys a query reads.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["link", "process", "input", "table", "status", "notStatus", "minAttempts", "from", "until", "eventId", "limit", "cursor"];

    /// <summary>
    /// The query <paramref name="values"/> (all values of a key) describe, and what could not be read; each problem
    /// names its key as <paramref name="label"/> spells it for the caller (the key itself when null).
    /// </summary>
    public static (JobQuery Query, IReadOnlyList<string> Problems) Parse(Func<string, IReadOnlyList<string>> values, Func<string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        label ??= key => key;
        var problems = new List<string>();
        List<string> List(string key) => values(key)
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        string? Single(string key) => values(key) is { Count: > 0 } all ? all[^1] : null;
        T? Number<T>(string key) where T : struct, IParsable<T>
        {
            if (Single(key) is not { } text)
            {
                return null;
            }

            if (T.TryParse(text, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            problems.Add($"{label(key)}: '{text}' is not a whole number");
            return null;
        }

        DateTimeOffset? Time(string key)
        {
            if (Single(key) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            problems.Add($"{label(key)}: '{text}' is not a time (use ISO 8601, e.g. 2026-12-03T10:00:00Z)");
            return null;
        }

        List<JobStatus> Statuses(string key)
        {
            var statuses = new List<JobStatus>();
            foreach (var name in List(key))
            {
                if (Enum.TryParse<JobStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(name, out _))
                {
                    statuses.Add(status);
                }
                else
                {
                    problems.Add($"{label(key)}: '{name}' is not a status (use {string.Join(", ", Enum.GetNames<JobStatus>().Select(n => n.ToLowerInvariant()))})");
                }
            }

            return statuses;
        }

        var query = new JobQuery
        {
            Links = List("link"),
            Processes = List("process"),
            Inputs = List("input"),
            Tables = List("table"),
            Statuses = Statuses("status"),
            ExcludedStatuses = Statuses("notStatus"),
            MinAttempts = Number<int>("minAttempts"),
            CreatedFrom = Time("from"),
            CreatedBefore = Time("until"),
            EventId = Number<long>("eventId"),
            Limit = Number<int>("limit") ?? 50,
            Cursor = Single("cursor"),
        };
        return (query, problems);
    }
}

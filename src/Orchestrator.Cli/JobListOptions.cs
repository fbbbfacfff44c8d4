using System.CommandLine;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Cli;

/// <summary>
/// The filters of <c>jobs list</c>, one option per key of <see cref="JobQueryParser"/> (<c>--not-status</c> for
/// <c>notStatus</c>, and so on); lists may repeat or be comma-separated.
/// </summary>
internal sealed class JobListOptions
{
    private readonly List<(string Key, Option Option)> _options =
    [
        ("link", Multi("--link", "Only these links.")),
        ("process", Multi("--process", "Only jobs of these processes.")),
        ("input", Multi("--input", "Only jobs of these inputs.")),
        ("table", Multi("--table", "Only jobs of changes to these tables.")),
        ("status", Multi("--status", "Only jobs in these statuses (acknowledged, awaiting, executing, succeeded, failed, discarded).")),
        ("notStatus", Multi("--not-status", "Only jobs in none of these statuses.")),
        ("minAttempts", Single("--min-attempts", "Only jobs with at least this many attempts.")),
        ("from", Single("--from", "Only jobs created at or after this time (ISO 8601).")),
        ("until", Single("--until", "Only jobs created before this time (ISO 8601).")),
        ("eventId", Single("--event-id", "Only jobs of this event id.")),
        ("limit", Single("--limit", "At most this many jobs (default 50, at most 1000).")),
        ("cursor", Single("--cursor", "Continue after the page that printed this cursor.")),
    ];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The query the parsed options describe, and what could not be read.</summary>
    public (JobQuery Query, IReadOnlyList<string> Problems) Read(ParseResult parse)
    {
        return JobQueryParser.Parse(
            key => OptionOf(key) switch
            {
                Option<string[]> many => parse.GetValue(many) ?? [],
                Option<string?> one => parse.GetValue(one) is { } value ? [value] : [],
                _ => [],
            },
            key => OptionOf(key).Name);
    }

    private static Option<string[]> Multi(string name, string description) =>
        new(name) { Description = description + " Repeat it, or separate values with commas.", AllowMultipleArgumentsPerToken = true };

    private static Option<string?> Single(string name, string description) =>
        new(name) { Description = description };

    private Option OptionOf(string key) => _options.Single(o => o.Key == key).Option;
}

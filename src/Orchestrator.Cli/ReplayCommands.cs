using System.CommandLine;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Cli;

/// <summary>
/// <c>replays start LINK</c> (a link's finished jobs, optionally <c>--wait</c>) and <c>replays show ID</c>. Exit codes:
/// 0 done, 2 an invalid replay (the reason is printed), 3 no such replay.
/// </summary>
internal static class ReplayCommands
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The <c>--mode</c> option: <c>new-jobs</c> (the default) or <c>new-attempts</c>.</summary>
    public static Option<string> ModeOption() => new("--mode")
    {
        Description = "new-jobs: a new job for the same event, marked replay-of the original; new-attempts: a new attempt of a failed or discarded job.",
        DefaultValueFactory = _ => "new-jobs",
    };

    /// <summary>The <c>--id</c> option: a replay id of the caller's, so that running the command again finds its replay.</summary>
    public static Option<string?> IdOption() => new("--id")
    {
        Description = "The replay's id (letters, digits, '-', '_'); running the command again with it re-runs nothing. Default: a new id.",
    };

    /// <summary>The replay id <paramref name="id"/> gives, or a new one; a usage error when it is not one.</summary>
    public static string IdOf(ParseResult parse, Option<string?> id) => parse.GetValue(id) is not { } given
        ? ReplayIds.New()
        : ReplayIds.Problem(given) is { } problem ? throw new CliException("--id: " + problem + ".") : given;

    /// <summary>The mode <paramref name="mode"/> names; a usage error when it names none.</summary>
    public static ReplayMode ModeOf(ParseResult parse, Option<string> mode) =>
        ReplayRequestParser.ParseMode(parse.GetValue(mode)!)
        ?? throw new CliException($"--mode: {ReplayRequestParser.ModeProblem(parse.GetValue(mode)!)}.");

    public static Command Create(CliContext cli, Option<string> by)
    {
        var link = new Argument<string>("LINK") { Description = "The link whose finished jobs to replay." };
        var mode = ModeOption();
        var replayIdOption = IdOption();
        var wait = new Option<bool>("--wait") { Description = "Print the progress until the replay is done." };
        var filters = new Dictionary<string, Option<string?>>
        {
            ["status"] = new("--status") { Description = "Only jobs in these statuses (failed, discarded, succeeded; comma-separated). Default: failed,discarded." },
            ["from"] = new("--from") { Description = "Only jobs created at or after this time (ISO 8601)." },
            ["until"] = new("--until") { Description = "Only jobs created before this time (ISO 8601)." },
        };
        var start = new Command("start", "Replay a link's failed and discarded jobs (or those --status names), newest first.") { link, mode, replayIdOption, by, wait };
        foreach (var option in filters.Values)
        {
            start.Options.Add(option);
        }

        var id = new Argument<string>("REPLAY_ID") { Description = "The replay's id, as 'replays start' prints it." };
        var show = new Command("show", "Show how far a replay has come.") { id, wait };

        start.SetAction(async (parse, ct) =>
        {
            var (request, problems) = ReplayRequestParser.Parse(
                parse.GetValue(link)!,
                parse.GetValue(by)!,
                key => key == "mode" ? [parse.GetValue(mode)!] : parse.GetValue(filters[key]) is { } value ? [value] : [],
                key => "--" + key);
            if (problems.Count > 0)
            {
                throw new CliException("Invalid replay: " + string.Join("; ", problems) + ".");
            }

            var replayId = IdOf(parse, replayIdOption);
            await using var cluster = await cli.ConnectAsync(parse, ct);
            var replay = cluster.Grains.GetGrain<IReplayGrain>(replayId);
            return await FollowAsync(cli, parse, replay, await replay.StartAsync(request), wait, ct);
        });
        show.SetAction(async (parse, ct) =>
        {
            await using var cluster = await cli.ConnectAsync(parse, ct);
            var replayId = parse.GetValue(id)!;
            var replay = cluster.Grains.GetGrain<IReplayGrain>(replayId);
            if (await replay.GetProgressAsync() is not { } progress)
            {
                await cli.Error.WriteLineAsync($"No replay has the id '{replayId}'.");
                return 3;
            }

            return await FollowAsync(cli, parse, replay, progress, wait, ct);
        });
        return new Command("replays", "Replay many finished jobs of a link.") { start, show };
    }

    /// <summary>Prints <paramref name="progress"/>; with <c>--wait</c>, each change of it until the replay is done.</summary>
    private static async Task<int> FollowAsync(CliContext cli, ParseResult parse, IReplayGrain replay, ReplayProgress progress, Option<bool> wait, CancellationToken ct)
    {
        await cli.PrintAsync(parse, progress, JobText.Replay);
        while (parse.GetValue(wait) && progress.Status == ReplayStatus.Running)
        {
            await Task.Delay(WaitPoll, ct);
            var next = await replay.GetProgressAsync() ?? progress;
            if ((next.Replayed, next.Skipped, next.Status) != (progress.Replayed, progress.Skipped, progress.Status))
            {
                await cli.PrintAsync(parse, next, JobText.Replay);
            }

            progress = next;
        }

        return 0;
    }
}

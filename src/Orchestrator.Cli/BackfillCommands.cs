using System.CommandLine;
using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Cli;

/// <summary>
/// <c>backfill INPUT</c> (start, optionally <c>--wait</c>), <c>backfill status ID</c> and <c>backfills</c>. Exit
/// codes: 0 done, 2 refused (the reason is printed), 3 no such backfill, 4 a waited-for backfill failed.
/// </summary>
internal static class BackfillCommands
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(1);

    public static IEnumerable<Command> Create(CliContext cli)
    {
        var input = new Argument<string>("INPUT") { Description = "The input whose existing rows are read." };
        var table = new Option<string?>("--table") { Description = "Only this table of the input (default: each of its tables)." };
        var where = new Option<string?>("--where") { Description = "Only rows matching this filter, e.g. \"status = 'open' and amount >= 10\"." };
        var links = new Option<string[]>("--links") { Description = "Only for these links (separate with commas; default: every link of the input).", AllowMultipleArgumentsPerToken = true };
        var pageSize = new Option<int?>("--page-size") { Description = "Rows per page (default: the host's)." };
        var wait = new Option<bool>("--wait") { Description = "Print progress until every backfill started is done." };
        var id = new Argument<string>("ID") { Description = "The backfill's id, as 'backfill' printed it." };
        var status = new Command("status", "Show one backfill and its progress.") { id };
        var backfill = new Command("backfill", "Read the existing rows of an input as 'read' events, in pages; resumable after a crash.")
        {
            input, table, where, links, pageSize, wait, status,
        };
        var list = new Command("backfills", "List every backfill, newest first.");

        backfill.SetAction(async (parse, ct) =>
        {
            await using var cluster = await cli.ConnectAsync(parse, ct);
            var grain = cluster.Grains.GetGrain<IBackfillGrain>(0);
            IReadOnlyList<BackfillProgress> started;
            try
            {
                started = await grain.StartAsync(new BackfillRequest
                {
                    Input = parse.GetValue(input)!,
                    Table = parse.GetValue(table),
                    Where = parse.GetValue(where),
                    Links = (parse.GetValue(links) ?? []).SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                    PageSize = parse.GetValue(pageSize),
                });
            }
            catch (BackfillRefusedException e)
            {
                throw new CliException($"Backfill refused ({e.Code}): {e.Message}.");
            }

            await cli.PrintAsync(parse, started, BackfillText.Table);
            return parse.GetValue(wait) ? await WaitAsync(cli, grain, started, ct) : 0;
        });
        status.SetAction(async (parse, ct) =>
        {
            await using var cluster = await cli.ConnectAsync(parse, ct);
            var backfillId = parse.GetValue(id)!;
            if (await cluster.Grains.GetGrain<IBackfillGrain>(0).GetAsync(backfillId) is not { } found)
            {
                await cli.Error.WriteLineAsync($"No backfill has the id '{backfillId}'.");
                return 3;
            }

            await cli.PrintAsync(parse, found, BackfillText.Details);
            return 0;
        });
        list.SetAction(async (parse, ct) =>
        {
            await using var cluster = await cli.ConnectAsync(parse, ct);
            await cli.PrintAsync(parse, await cluster.Grains.GetGrain<IBackfillGrain>(0).ListAsync(), BackfillText.Table);
            return 0;
        });
        return [backfill, list];
    }

    private static async Task<int> WaitAsync(CliContext cli, IBackfillGrain grain, IReadOnlyList<BackfillProgress> started, CancellationToken ct)
    {
        var current = started.ToList();
        while (current.Any(b => b.Status == BackfillStatus.Running))
        {
            await Task.Delay(WaitPoll, ct);
            for (var i = 0; i < current.Count; i++)
            {
                current[i] = await grain.GetAsync(current[i].Id) ?? current[i];
                await cli.Output.WriteLineAsync(BackfillText.Progress(current[i]));
            }
        }

        return current.Any(b => b.Status == BackfillStatus.Failed) ? 4 : 0;
    }
}

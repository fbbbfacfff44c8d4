using System.CommandLine;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Cli;

/// <summary>
/// <c>pipelines show</c>, <c>validate -f FILE</c>, <c>diff -f FILE</c> and <c>apply -f FILE [--dry-run] [--force] [--cancel-jobs]</c>: the
/// cluster's pipeline graph, read and changed while it runs. A file is read and checked here first, then by the cluster
/// against the current version and the inputs' databases. Exit codes: <c>apply</c> 0 applied, 1 nothing to do, 2
/// invalid; <c>diff</c> 0 no difference, 1 differences, 2 invalid; <c>validate</c> 0 valid, 2 invalid.
/// </summary>
internal static class PipelineCommands
{
    public static Command Create(CliContext cli, Option<string> by)
    {
        var file = new Option<string>("--file", "-f") { Description = "The pipelines file (JSON).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change, change nothing." };
        var force = new Option<bool>("--force") { Description = "Remove processes that unfinished jobs still use (those jobs fail)." };
        var cancelJobs = new Option<bool>("--cancel-jobs") { Description = "Cancel the unfinished jobs of the links the file removes (otherwise they finish)." };
        var show = new Command("show", "Print the current version of the graph (connection strings left out).");
        var validate = new Command("validate", "Check a pipelines file against the cluster without changing anything.") { file };
        var diff = new Command("diff", "Print what applying a pipelines file would change.") { file };
        var apply = new Command("apply", "Print what a pipelines file changes, then apply it.") { file, dryRun, force, cancelJobs, by };

        show.SetAction(async (parse, ct) =>
        {
            await using var cluster = await cli.ConnectAsync(parse, ct);
            await cli.PrintAsync(parse, await cluster.Grains.GetGrain<IPipelineGrain>(0).GetAsync(), PipelineText.Snapshot);
            return 0;
        });
        validate.SetAction((parse, ct) => CheckAsync(cli, parse, file, r => r.Outcome == PipelineApplyOutcome.Invalid ? 2 : 0, ct));
        diff.SetAction((parse, ct) => CheckAsync(
            cli,
            parse,
            file,
            r => r.Outcome switch
            {
                PipelineApplyOutcome.Invalid => 2,
                PipelineApplyOutcome.Unchanged => 0,
                _ => 1,
            },
            ct));
        apply.SetAction(async (parse, ct) =>
        {
            var definition = Read(parse.GetValue(file)!);
            await using var cluster = await cli.ConnectAsync(parse, ct);
            var options = new PipelineApplyOptions
            {
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
                CancelRemovedLinksJobs = parse.GetValue(cancelJobs),
                By = parse.GetValue(by)!,
            };
            var result = await cluster.Grains.GetGrain<IPipelineGrain>(0).ApplyAsync(definition, options);
            await PrintAsync(cli, parse, result);
            return result.Outcome switch
            {
                PipelineApplyOutcome.Invalid => 2,
                PipelineApplyOutcome.Unchanged => 1,
                _ => 0,
            };
        });
        return new Command("pipelines", "Show, check and change the cluster's pipeline graph.") { show, validate, diff, apply };
    }

    private static async Task<int> CheckAsync(CliContext cli, ParseResult parse, Option<string> file, Func<PipelineApplyResult, int> exitCode, CancellationToken ct)
    {
        var definition = Read(parse.GetValue(file)!);
        await using var cluster = await cli.ConnectAsync(parse, ct);
        var result = await cluster.Grains.GetGrain<IPipelineGrain>(0).ApplyAsync(definition, new PipelineApplyOptions { DryRun = true, By = "cli" });
        await PrintAsync(cli, parse, result);
        return exitCode(result);
    }

    private static Task PrintAsync(CliContext cli, ParseResult parse, PipelineApplyResult result) =>
        (result.Outcome == PipelineApplyOutcome.Invalid ? cli.Error : cli.Output).WriteLineAsync(cli.Render(parse, result, PipelineText.Result));

    /// <summary>The file, parsed and checked on its own; every problem of it is a usage error (exit code 2).</summary>
    private static PipelineDefinition Read(string path)
    {
        try
        {
            return PipelineFile.Load(path);
        }
        catch (InvalidPipelineException e)
        {
            throw new CliException(e.Message);
        }
    }
}

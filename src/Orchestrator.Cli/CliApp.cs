using System.CommandLine;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Cli;

/// <summary>
/// The <c>orchestrator</c> command line: queries, commands and replays jobs of a running cluster, starts backfills, and
/// shows and changes its pipeline graph (<see cref="PipelineCommands"/> has its own exit codes).
/// Exit codes: 0 done, 2 usage or connection problem (or a refused backfill), 3 no such job or backfill, 4 the job
/// refused the command (e.g. cancelling a finished job) or a waited-for backfill failed.
/// </summary>
public static class CliApp
{
    /// <summary>The environment variable that supplies the cluster's connection string.</summary>
    public const string ConnectionVariable = "ORCHESTRATOR_CONNECTION_STRING";

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var connection = new Option<string?>("--connection-string")
        {
            Description = $"Connection string of the cluster's Postgres database (default: ${ConnectionVariable}).",
            Recursive = true,
        };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster id.", DefaultValueFactory = _ => "orchestrator", Recursive = true };
        var serviceId = new Option<string>("--service-id") { Description = "The service id.", DefaultValueFactory = _ => "orchestrator", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON.", Recursive = true };
        var cli = new CliContext(output, error, json, (parse, ct) => ConnectAsync(parse, connection, clusterId, serviceId, ct));
        var filters = new JobListOptions();
        var jobId = new Argument<string>("JOB_ID") { Description = "The job's id, as 'jobs list' prints it." };

        var list = new Command("list", "List jobs across the cluster, newest first, a page at a time.");
        filters.AddTo(list);
        var countLinks = new Option<string[]>("--link") { Description = "Only these links (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var counts = new Command("counts", "Count each link's jobs per status.") { countLinks };
        var show = new Command("show", "Show one job: its event, transitions and runs.") { jobId };
        var by = new Option<string>("--by")
        {
            Description = "Who asks, as the job's history records it (default: cli:USER@HOST).",
            DefaultValueFactory = _ => $"cli:{Environment.UserName}@{Environment.MachineName}",
        };
        var cancel = new Command("cancel", "Cancel a job that has not finished; a running container is stopped.") { jobId, by };
        var retry = new Command("retry", "Start a new attempt of a failed or discarded job, keeping its history.") { jobId, by };
        var mode = ReplayCommands.ModeOption();
        var replayId = ReplayCommands.IdOption();
        var replay = new Command("replay", "Re-run one finished job, keeping its history.") { jobId, mode, replayId, by };
        var jobs = new Command("jobs", "Query and command jobs.") { list, counts, show, cancel, retry, replay };
        var root = new RootCommand("Orchestrator command line: query and command the jobs of a running cluster.") { jobs, connection, clusterId, serviceId, json };
        foreach (var command in BackfillCommands.Create(cli).Append(ReplayCommands.Create(cli, by)).Append(PipelineCommands.Create(cli, by)).Append(KeyCommands.Create(cli)))
        {
            root.Subcommands.Add(command);
        }

        list.SetAction(async (parse, ct) =>
        {
            var (query, problems) = filters.Read(parse);
            problems = [.. problems, .. query.Problems()];
            if (problems.Count > 0)
            {
                throw new CliException("Invalid job query: " + string.Join("; ", problems) + ".");
            }

            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            JobPage page;
            try
            {
                page = await cluster.Grains.GetGrain<IJobQueryGrain>(0).QueryAsync(query);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            await cli.PrintAsync(parse, page, JobText.Page);
            return 0;
        });
        counts.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var links = (parse.GetValue(countLinks) ?? []).SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var found = await cluster.Grains.GetGrain<IJobQueryGrain>(0).CountAsync(links);
            await cli.PrintAsync(parse, found, JobText.Counts);
            return 0;
        });
        show.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var id = parse.GetValue(jobId)!;
            if (await cluster.Grains.GetGrain<IJobGrain>(id).GetStateAsync() is not { } job)
            {
                await error.WriteLineAsync($"No job has the id '{id}'.");
                return 3;
            }

            await cli.PrintAsync(parse, job, JobText.Details);
            return 0;
        });

        cancel.SetAction((parse, ct) => CommandAsync(parse, (job, who) => job.CancelAsync(who), ct));
        retry.SetAction((parse, ct) => CommandAsync(parse, (job, who) => job.RetryAsync(who), ct));
        replay.SetAction((parse, ct) =>
        {
            var replayMode = ReplayCommands.ModeOf(parse, mode);
            var id = ReplayCommands.IdOf(parse, replayId);
            return CommandAsync(parse, (job, who) => job.ReplayAsync(id, replayMode, who), ct);
        });

        async Task<int> CommandAsync(ParseResult parse, Func<IJobGrain, string, Task<JobCommandResult>> command, CancellationToken ct)
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var id = parse.GetValue(jobId)!;
            var result = await command(cluster.Grains.GetGrain<IJobGrain>(id), parse.GetValue(by)!);
            await (result.Accepted ? output : error).WriteLineAsync(cli.Render(parse, result, r => JobText.Command(id, r)));
            return result.Accepted ? 0 : result.Job is null ? 3 : 4;
        }

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static Task<ClusterConnection> ConnectAsync(
        ParseResult parse, Option<string?> connection, Option<string> clusterId, Option<string> serviceId, CancellationToken ct)
    {
        var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new CliException($"No cluster to connect to: pass --connection-string or set {ConnectionVariable}.");
        }

        return ClusterConnection.OpenAsync(new ConnectionSettings(connectionString, parse.GetValue(clusterId)!, parse.GetValue(serviceId)!), ct);
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Cli;

/// <summary>
/// The <c>orchestrator</c> command line: queries and commands jobs of a running cluster. Exit codes: 0 done,
/// 2 usage or connection problem, 3 no such job, 4 the job refused the command (e.g. cancelling a finished job).
/// </summary>
public static class CliApp
{
    /// <summary>The environment variable that supplies the cluster's connection string.</summary>
    public const string ConnectionVariable = "ORCHESTRATOR_CONNECTION_STRING";

    private static readonly TimeSpan ReplayPollPeriod = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Json = OrchestratorJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

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
        var mode = new Option<string>("--mode")
        {
            Description = "new-jobs: a new job for the same event, marked replay-of the original; new-attempts: a new attempt of a failed or discarded job.",
            DefaultValueFactory = _ => "new-jobs",
        };
        var replayJob = new Command("replay", "Re-run one finished job, keeping its history.") { jobId, mode, by };
        var jobs = new Command("jobs", "Query and command jobs.") { list, counts, show, cancel, retry, replayJob };
        var linkId = new Argument<string>("LINK") { Description = "The link whose finished jobs to replay." };
        var replayFilters = ReplayOptions();
        var wait = new Option<bool>("--wait") { Description = "Print the progress until the replay is done." };
        var start = new Command("start", "Replay a link's failed and discarded jobs (or those --status names), newest first.") { linkId, mode, by, wait };
        foreach (var option in replayFilters.Values)
        {
            start.Options.Add(option);
        }

        var replayId = new Argument<string>("REPLAY_ID") { Description = "The replay's id, as 'replays start' prints it." };
        var showReplay = new Command("show", "Show how far a replay has come.") { replayId, wait };
        var replays = new Command("replays", "Replay many finished jobs of a link.") { start, showReplay };
        var root = new RootCommand("Orchestrator command line: query and command the jobs of a running cluster.") { jobs, replays, connection, clusterId, serviceId, json };

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

            await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(page, Json) : JobText.Page(page));
            return 0;
        });
        counts.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var links = (parse.GetValue(countLinks) ?? []).SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var found = await cluster.Grains.GetGrain<IJobQueryGrain>(0).CountAsync(links);
            await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(found, Json) : JobText.Counts(found));
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

            await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(job, Json) : JobText.Details(job));
            return 0;
        });

        cancel.SetAction((parse, ct) => CommandAsync(parse, (job, who) => job.CancelAsync(who), ct));
        retry.SetAction((parse, ct) => CommandAsync(parse, (job, who) => job.RetryAsync(who), ct));
        replayJob.SetAction((parse, ct) =>
        {
            var replayMode = ReplayRequestParser.ParseMode(parse.GetValue(mode)!)
                ?? throw new CliException($"--mode: '{parse.GetValue(mode)}' is not a replay mode (use new-jobs or new-attempts).");
            return CommandAsync(parse, (job, who) => job.ReplayAsync(ReplayIds.New(), replayMode, who), ct);
        });
        start.SetAction(async (parse, ct) =>
        {
            var (request, problems) = ReplayRequestParser.Parse(
                parse.GetValue(linkId)!,
                parse.GetValue(by)!,
                key => key == "mode" ? [parse.GetValue(mode)!] : parse.GetValue(replayFilters[key]) is { } value ? [value] : [],
                key => "--" + key);
            if (problems.Count > 0)
            {
                throw new CliException("Invalid replay: " + string.Join("; ", problems) + ".");
            }

            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var replay = cluster.Grains.GetGrain<IReplayGrain>(ReplayIds.New());
            return await ReplayProgressAsync(parse, replay, await replay.StartAsync(request), ct);
        });
        showReplay.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var id = parse.GetValue(replayId)!;
            var replay = cluster.Grains.GetGrain<IReplayGrain>(id);
            if (await replay.GetProgressAsync() is not { } progress)
            {
                await error.WriteLineAsync($"No replay has the id '{id}'.");
                return 3;
            }

            return await ReplayProgressAsync(parse, replay, progress, ct);
        });

        async Task<int> ReplayProgressAsync(ParseResult parse, IReplayGrain replay, ReplayProgress progress, CancellationToken ct)
        {
            await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(progress, Json) : JobText.Replay(progress));
            while (parse.GetValue(wait) && progress.Status == ReplayStatus.Running)
            {
                await Task.Delay(ReplayPollPeriod, ct);
                var next = await replay.GetProgressAsync() ?? progress;
                if (next != progress && !parse.GetValue(json))
                {
                    await output.WriteLineAsync(JobText.Replay(next));
                }

                progress = next;
            }

            if (parse.GetValue(wait) && parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(progress, Json));
            }

            return 0;
        }

        async Task<int> CommandAsync(ParseResult parse, Func<IJobGrain, string, Task<JobCommandResult>> command, CancellationToken ct)
        {
            await using var cluster = await ConnectAsync(parse, connection, clusterId, serviceId, ct);
            var id = parse.GetValue(jobId)!;
            var result = await command(cluster.Grains.GetGrain<IJobGrain>(id), parse.GetValue(by)!);
            await (result.Accepted ? output : error).WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(result, Json) : JobText.Command(id, result));
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

    private static Dictionary<string, Option<string?>> ReplayOptions() => new()
    {
        ["status"] = new Option<string?>("--status") { Description = "Only jobs in these statuses (failed, discarded, succeeded; comma-separated). Default: failed,discarded." },
        ["from"] = new Option<string?>("--from") { Description = "Only jobs created at or after this time (ISO 8601)." },
        ["until"] = new Option<string?>("--until") { Description = "Only jobs created before this time (ISO 8601)." },
    };

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

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Grains.Jobs;
using Orchestrator.Host;
using Orchestrator.Host.Configuration;
using Orchestrator.Testing;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// A real pipeline in one in-process silo: a fresh Postgres database with the test's tables, the host's bootstrap
/// (validation, Orleans schema, capture triggers) and the host's silo wiring, running containers on the real engine.
/// </summary>
public sealed class PipelineCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private PipelineCluster(PostgresDatabase database, InProcessTestCluster cluster, string pipelinesFile)
    {
        Database = database;
        _cluster = cluster;
        PipelinesFile = pipelinesFile;
    }

    /// <summary>The pipelines file the cluster was started with.</summary>
    public string PipelinesFile { get; }

    /// <summary>The database the pipeline watches and stores its jobs in.</summary>
    public PostgresDatabase Database { get; }

    /// <summary>A client of the cluster.</summary>
    public IClusterClient Client => _cluster.Client;

    /// <summary>
    /// Creates the database, runs <paramref name="setupSql"/> in it, then starts <paramref name="silos"/> silos for <paramref name="pipelines"/>;
    /// <paramref name="configure"/> gets the silo and the database's connection string, <paramref name="host"/> the host's options.
    /// </summary>
    public static async Task<PipelineCluster> StartAsync(
        string name,
        string setupSql,
        Func<string, string> pipelines,
        Action<ISiloBuilder, string>? configure = null,
        Action<OrchestratorHostOptions>? host = null,
        short silos = 1)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        try
        {
            if (setupSql.Length > 0)
            {
                await database.ExecuteAsync(setupSql);
            }

            var file = Path.Combine(Path.GetTempPath(), $"{database.Name}.pipelines.json");
            await File.WriteAllTextAsync(file, pipelines(TestEnvironment.TestImage));
            var options = new OrchestratorHostOptions { ConnectionString = database.ConnectionString, PipelinesFile = file, CaptureQueueCount = 2 };
            host?.Invoke(options);
            var catalog = await HostBootstrap.PrepareAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
            var builder = new InProcessTestClusterBuilder(silos);
            builder.ConfigureSilo((_, silo) =>
            {
                silo.AddOrchestratorServices(options, catalog);
                configure?.Invoke(silo, database.ConnectionString);
            });
            var cluster = builder.Build();
            await cluster.DeployAsync();
            return new PipelineCluster(database, cluster, file);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the link has <paramref name="count"/> jobs in a terminal status and returns their records, oldest event first.</summary>
    public async Task<IReadOnlyList<JobState>> FinishedJobsAsync(string linkId, int count, TimeSpan? timeout = null)
    {
        var summaries = await Eventually.WaitAsync(
            () => JobsAsync(linkId),
            jobs => jobs.Count >= count && jobs.All(j => JobLifecycle.IsTerminal(j.Status)),
            $"{count} finished jobs on link '{linkId}'",
            timeout);
        var states = await Task.WhenAll(summaries.Select(s => Client.GetGrain<IJobGrain>(s.JobId).GetStateAsync()));
        return states.Select(s => s!).OrderBy(s => s.Event!.Id).ToList();
    }

    /// <summary>Waits until the link's job for its only (or first) event is in <paramref name="status"/> and returns its record.</summary>
    public async Task<JobState> JobInStatusAsync(string linkId, JobStatus status, TimeSpan? timeout = null)
    {
        var summary = await Eventually.WaitAsync(
            async () => (await JobsAsync(linkId, status)).MinBy(j => j.EventId),
            job => job is not null,
            $"a {status} job on link '{linkId}'",
            timeout);
        return (await Client.GetGrain<IJobGrain>(summary!.JobId).GetStateAsync())!;
    }

    /// <summary>Stores <paramref name="job"/> as a new record through the silo's job store, without activating its grain.</summary>
    public Task WriteJobAsync(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var storage = Services.GetRequiredKeyedService<IGrainStorage>(JobGrain.StorageName);
        return storage.WriteStateAsync("job", Client.GetGrain<IJobGrain>(job.JobId).GetGrainId(), new GrainState<JobState> { State = job });
    }

    /// <summary>The (first) silo's services.</summary>
    public IServiceProvider Services => _cluster.GetSiloServiceProvider();

    /// <summary>Every silo's services.</summary>
    public IReadOnlyList<IServiceProvider> SiloServices => [.. _cluster.Silos.Select(s => s.ServiceProvider)];

    /// <summary>
    /// Stops the silo gracefully and starts it again, as a restarted host would; returns once the client reaches
    /// the new silo (it reconnects in the background, and calls fail until it has).
    /// </summary>
    public async Task RestartAsync()
    {
        await _cluster.RestartSiloAsync(_cluster.Silos[0]);
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await Client.GetGrain<IJobQueryGrain>(0).CountAsync([]);
                    return true;
                }
                catch (Exception e) when (e is ConnectionFailedException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
                {
                    return false;
                }
            },
            "the client to reach the restarted silo");
    }

    /// <summary>The link's jobs (up to 1000), newest first, optionally only those in <paramref name="status"/>, from the job table.</summary>
    public async Task<IReadOnlyList<JobSummary>> JobsAsync(string linkId, JobStatus? status = null) =>
        (await Client.GetGrain<IJobQueryGrain>(0).QueryAsync(new JobQuery
        {
            Links = [linkId],
            Statuses = status is { } one ? [one] : [],
            Limit = JobQuery.MaxLimit,
        })).Jobs;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}

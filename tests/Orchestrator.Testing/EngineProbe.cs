using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Testing;

/// <summary>
/// What the Docker engine itself says about a job's containers: the ones that exist now, and how many were ever
/// created (from the engine's event log), so a test can prove an attempt never got a second container.
/// </summary>
public sealed class EngineProbe : IDisposable
{
    private const string JobLabel = "orchestrator.job-id";
    private const string AttemptLabel = "orchestrator.attempt";
    private readonly DockerClient _client = new DockerClientBuilder().Build();
    private readonly List<(string JobId, int Attempt)> _creates = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _following;

    /// <summary>
    /// A probe that also follows the engine's container-create events of managed containers from now on, for
    /// <see cref="CreatedPerAttempt"/>.
    /// </summary>
    public static async Task<EngineProbe> FollowingCreatesAsync()
    {
        var probe = new EngineProbe();
        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["event"] = new Dictionary<string, bool> { ["create"] = true },
                ["label"] = new Dictionary<string, bool> { ["orchestrator.managed=true"] = true },
            },
        };
        var started = new TaskCompletionSource();
        probe._following = probe.FollowAsync(parameters, started);
        await started.Task;
        return probe;
    }

    /// <summary>Creates (without starting) a container of <paramref name="image"/> running <c>true</c>, with <paramref name="labels"/>; returns its id.</summary>
    public async Task<string> CreateAsync(string image, IDictionary<string, string> labels) =>
        (await _client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = image, Cmd = ["true"], Labels = labels })).ID;

    /// <summary>The containers, running or not, labelled with <paramref name="jobId"/>.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string jobId) =>
        await _client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(jobId) });

    /// <summary>
    /// Waits until a running container labelled with <paramref name="jobId"/> has printed <paramref name="marker"/>
    /// on its standard output: a script's sign that it is ready (its signal trap set, say), which "running" is not.
    /// </summary>
    public Task PrintedAsync(string jobId, string marker) => Eventually.UntilAsync(
        async () =>
        {
            foreach (var container in (await ContainersOfAsync(jobId)).Where(c => c.State == "running"))
            {
                using var stream = await _client.Containers.GetContainerLogsAsync(
                    container.ID, new ContainerLogsParameters { ShowStdout = true }, CancellationToken.None);
                var (stdout, _) = await stream.ReadOutputToEndAsync(CancellationToken.None);
                if (stdout.Contains(marker, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        },
        $"a running container of job {jobId} to print '{marker}'");

    /// <summary>How many containers labelled with <paramref name="jobId"/> the engine created since <see cref="FollowingCreatesAsync"/>.</summary>
    public int Created(string jobId) => CreatedPerAttempt(jobId).Values.Sum();

    /// <summary>
    /// How many containers the engine created for each attempt of <paramref name="jobId"/> since
    /// <see cref="FollowingCreatesAsync"/>, from the engine's own event stream (followed live: the engine keeps only
    /// its latest events). A probe made with its constructor follows nothing.
    /// </summary>
    public IReadOnlyDictionary<int, int> CreatedPerAttempt(string jobId)
    {
        lock (_creates)
        {
            return _creates.Where(c => c.JobId == jobId).GroupBy(c => c.Attempt).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>Removes (force) every container labelled with <paramref name="jobId"/>, as an operator or an engine restart might.</summary>
    public async Task RemoveContainersOfAsync(string jobId)
    {
        foreach (var container in await ContainersOfAsync(jobId))
        {
            await _client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _following?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Following ends with the cancellation it was asked for.
        }

        _stop.Dispose();
        _client.Dispose();
    }

    private async Task FollowAsync(ContainerEventsParameters parameters, TaskCompletionSource started)
    {
        var progress = new Progress(message =>
        {
            var attempt = int.Parse(message.Actor.Attributes[AttemptLabel], System.Globalization.CultureInfo.InvariantCulture);
            lock (_creates)
            {
                _creates.Add((message.Actor.Attributes[JobLabel], attempt));
            }
        });
        try
        {
            // The engine answers the request's headers once it streams: give it a moment to subscribe.
            var following = _client.System.MonitorEventsAsync(parameters, progress, _stop.Token);
            await Task.WhenAny(following, Task.Delay(TimeSpan.FromMilliseconds(500)));
            started.TrySetResult();
            await following;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            started.TrySetResult();
        }
    }

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string jobId) => new()
    {
        ["label"] = new Dictionary<string, bool> { [$"{JobLabel}={jobId}"] = true },
    };

    /// <summary>Counts synchronously: <see cref="Progress{T}"/> would post to a thread pool and race the count.</summary>
    private sealed class Progress(Action<Message> onMessage) : IProgress<Message>
    {
        public void Report(Message value) => onMessage(value);
    }
}

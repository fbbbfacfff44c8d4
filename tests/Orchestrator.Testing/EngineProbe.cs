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

    /// <summary>The containers, running or not, labelled with <paramref name="jobId"/>.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string jobId) =>
        await _client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(jobId) });

    /// <summary>How many containers labelled with <paramref name="jobId"/> the engine created since <paramref name="since"/>.</summary>
    public async Task<int> CreatedSinceAsync(string jobId, DateTimeOffset since) =>
        (await CreatedPerAttemptSinceAsync(jobId, since)).Values.Sum();

    /// <summary>
    /// How many containers the engine created for each attempt of <paramref name="jobId"/> since
    /// <paramref name="since"/>, from the engine's own event log.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, int>> CreatedPerAttemptSinceAsync(string jobId, DateTimeOffset since)
    {
        var created = new Dictionary<int, int>();
        var filters = LabelFilter(jobId);
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        filters["event"] = new Dictionary<string, bool> { ["create"] = true };
        var parameters = new ContainerEventsParameters
        {
            Since = (since.ToUnixTimeSeconds() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Filters = filters,
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _client.System.MonitorEventsAsync(parameters, new Progress(message =>
        {
            var attempt = int.Parse(message.Actor.Attributes[AttemptLabel], System.Globalization.CultureInfo.InvariantCulture);
            lock (created)
            {
                created[attempt] = created.GetValueOrDefault(attempt) + 1;
            }
        }), deadline.Token);
        return created;
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
    public void Dispose() => _client.Dispose();

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

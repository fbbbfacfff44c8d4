using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Persistence.Postgres.Tests.Grains;
using Orleans.Configuration;
using Orleans.Storage;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>The project's persisted job record under the storage's serializer (Orleans' default, unchanged).</summary>
[Collection(StorageClusterGroup.Name)]
public sealed class JobStateStorageTests(StorageCluster cluster)
{
    [Fact]
    public void The_storage_uses_Orleans_default_JSON_serializer()
    {
        var options = cluster.Silo.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(ListGrain.StorageName);

        Assert.IsType<JsonGrainStorageSerializer>(options.GrainStorageSerializer);
    }

    [Fact]
    public async Task A_full_job_record_round_trips_as_JSON()
    {
        var storage = cluster.Silo.GetRequiredKeyedService<IGrainStorage>(ListGrain.StorageName);
        var jobId = JobKeys.For("link-a", 42);
        var id = GrainId.Create("job", jobId);
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));
        var written = new GrainState<JobState> { State = Job(jobId, at) };

        await storage.WriteStateAsync("job", id, written);
        var read = new GrainState<JobState>();
        await storage.ReadStateAsync("job", id, read);
        var payload = await cluster.Database.ScalarAsync<byte[]>(
            "SELECT payloadbinary FROM orleans.orleansstorage WHERE graintypestring = 'job' AND grainidextensionstring = $1", jobId);

        Assert.NotNull(read.State);
        Assert.Equal(written.State.Event, read.State.Event);
        Assert.Equal(written.State.Transitions, read.State.Transitions);
        Assert.Equal(written.State.Runs, read.State.Runs);
        Assert.Equal(
            (jobId, "link-a", "proc", JobStatus.Failed, 1),
            (read.State.JobId, read.State.LinkId, read.State.ProcessId, read.State.Status, read.State.Attempts));
        Assert.StartsWith("{", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
    }

    private static JobState Job(string jobId, DateTimeOffset at) => new()
    {
        JobId = jobId,
        LinkId = "link-a",
        ProcessId = "proc",
        Event = new CapturedEvent(42, "orders", "public", "orders", ChangeOperation.Update,
            """{"id": 1, "note": "old \"quoted\""}""", """{"id": 1, "note": "new"}""", 991, at),
        Status = JobStatus.Failed,
        Transitions =
        [
            new JobTransition(JobStatus.Acknowledged, at, null),
            new JobTransition(JobStatus.Executing, at.AddSeconds(1), "slot free"),
            new JobTransition(JobStatus.Failed, at.AddSeconds(3), "exit code 2"),
        ],
        Attempts = 1,
        Runs =
        [
            new JobRun
            {
                Attempt = 1, Image = "busybox", ContainerId = "c0ffee", StartedAt = at.AddSeconds(1),
                FinishedAt = at.AddSeconds(3), ExitCode = 2, StdoutTail = "out\n", StderrTail = "é ✓\n", LogsTruncated = true,
            },
        ],
    };
}

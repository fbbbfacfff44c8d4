using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Testing;
using Orchestrator.Grains.Jobs;
using Orchestrator.JobStore.Postgres.Hosting;
using Orleans.Storage;

namespace Orchestrator.Grains.Tests;

/// <summary>A job record whose first write fails is recorded by the redelivery, not forgotten.</summary>
public sealed class StorageFailureTests
{
    [Fact]
    public async Task A_failed_first_write_of_a_job_is_retried_by_redelivery_and_the_job_runs()
    {
        var failures = new FailOnce(failingWrite: 1);
        await using var pipeline = await StartAsync(nameof(StorageFailureTests), failures);

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var job = Assert.Single(await pipeline.FinishedJobsAsync("t-ok", 1, TimeSpan.FromMinutes(2)));

        Assert.Equal(1, failures.Failed);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Single(job.Runs);
    }

    [Fact]
    public async Task A_failed_write_when_an_attempt_starts_frees_the_process_slot()
    {
        var failures = new FailOnce(failingWrite: 2);
        await using var pipeline = await StartAsync(nameof(A_failed_write_when_an_attempt_starts_frees_the_process_slot), failures);

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        await Eventually.UntilAsync(() => Task.FromResult(failures.Failed == 1), "the injected failure");
        var gate = pipeline.Client.GetGrain<IProcessGateGrain>("ok");

        await Eventually.UntilAsync(async () => (await gate.GetSnapshotAsync()) is { Running: 0, MaxRunningSeen: 1 }, "the slot to be freed");
        var job = (await pipeline.Client.GetGrain<IJobGrain>(JobKeys.For("t-ok", 1)).GetStateAsync())!;
        Assert.Equal(JobStatus.Awaiting, job.Status);
        Assert.Empty(job.Runs);
    }

    /// <summary>A pipeline t → "true" (one slot) whose job storage fails as <paramref name="failures"/> says.</summary>
    private static Task<PipelineCluster> StartAsync(string name, FailOnce failures) => PipelineCluster.StartAsync(
        name,
        "CREATE TABLE t (id int PRIMARY KEY)",
        image => $$"""
            {
              "inputs": [ { "id": "t", "tables": ["t"] } ],
              "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"], "maxConcurrency": 1 } ],
              "links": [ { "id": "t-ok", "input": "t", "process": "ok" } ]
            }
            """,
        (silo, connectionString) =>
        {
            silo.AddPostgresJobStore("inner", o => o.ConnectionString = connectionString);
            silo.Services.AddKeyedSingleton<IGrainStorage>(JobGrain.StorageName, (sp, _) =>
                new FlakyStorage(sp.GetRequiredKeyedService<IGrainStorage>("inner"), failures));
        });

    private sealed class FailOnce(int failingWrite)
    {
        private readonly ConcurrentDictionary<GrainId, int> _writes = new();
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public bool ShouldFail(GrainId id)
        {
            if (_writes.AddOrUpdate(id, 1, (_, n) => n + 1) != failingWrite)
            {
                return false;
            }

            Interlocked.Increment(ref _failed);
            return true;
        }
    }

    private sealed class FlakyStorage(IGrainStorage inner, FailOnce failures) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
    {
        // Orleans resolves a storage's lifecycle participant under the same key; the inner storage takes part on its own.
        public void Participate(ISiloLifecycle lifecycle)
        {
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            grainState.State is JobState && failures.ShouldFail(grainId)
                ? Task.FromException(new InvalidOperationException("injected storage failure"))
                : inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs;
using Orleans.Storage;

namespace Orchestrator.Grains.Tests;

/// <summary>A job record whose first write fails is recorded by the redelivery, not forgotten.</summary>
public sealed class StorageFailureTests
{
    [Fact]
    public async Task A_failed_first_write_of_a_job_is_retried_by_redelivery_and_the_job_runs()
    {
        var failures = new FailOnce();
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(StorageFailureTests),
            "CREATE TABLE t (id int PRIMARY KEY)",
            image => $$"""
                {
                  "inputs": [ { "id": "t", "tables": ["t"] } ],
                  "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
                  "links": [ { "id": "t-ok", "input": "t", "process": "ok" } ]
                }
                """,
            silo =>
            {
                silo.AddMemoryGrainStorage("inner");
                silo.Services.AddKeyedSingleton<IGrainStorage>(JobGrain.StorageName, (sp, _) =>
                    new FlakyStorage(sp.GetRequiredKeyedService<IGrainStorage>("inner"), failures));
            });

        await pipeline.Database.ExecuteAsync("INSERT INTO t VALUES (1)");
        var job = Assert.Single(await pipeline.FinishedJobsAsync("t-ok", 1, TimeSpan.FromMinutes(2)));

        Assert.Equal(1, failures.Failed);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Single(job.Runs);
    }

    private sealed class FailOnce
    {
        private readonly ConcurrentDictionary<GrainId, bool> _failed = new();

        public int Failed => _failed.Count;

        public bool ShouldFail(GrainId id) => _failed.TryAdd(id, true);
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

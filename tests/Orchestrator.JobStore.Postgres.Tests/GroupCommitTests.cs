using System.Collections.Concurrent;

namespace Orchestrator.JobStore.Postgres.Tests;

public sealed class GroupCommitTests
{
    private static readonly int[] Weights = [1, 1, 1, 6, 6, 20];

    [Fact]
    public async Task Requests_that_wait_together_share_a_batch_and_each_gets_its_own_result()
    {
        await using var held = new HeldBatches(_ => 1, new BatchLimits(100, long.MaxValue, TimeSpan.Zero, 1));
        var (commit, batches, release) = (held.Commit, held.Batches, held.Release);

        var first = commit.SubmitAsync(0);
        await WaitUntil(() => batches.Count == 1);
        var waiting = Enumerable.Range(1, 20).Select(commit.SubmitAsync).ToList();
        release.SetResult();

        Assert.Equal(0, await first);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 10), await Task.WhenAll(waiting));
        Assert.Equal([1, 20], batches);
    }

    [Fact]
    public async Task A_batch_is_cut_at_its_size_and_weight()
    {
        await using var held = new HeldBatches(r => r, new BatchLimits(3, 10, TimeSpan.Zero, 1));
        var (commit, batches, release) = (held.Commit, held.Batches, held.Release);

        var blocker = commit.SubmitAsync(1);
        await WaitUntil(() => batches.Count == 1);
        var rest = Weights.Select(commit.SubmitAsync).ToList();
        release.SetResult();
        await blocker;
        await Task.WhenAll(rest);

        // At most 3 requests: [1, 1, 1]; at most weight 10: [6, 6] (the second passes it, so no third joins); [20] alone.
        Assert.Equal([1, 3, 2, 1], batches);
    }

    [Fact]
    public async Task A_failed_batch_fails_its_callers_only()
    {
        var calls = 0;
        await using var commit = new GroupCommit<int, int>(
            requests => Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("boom")
                : Task.FromResult<IReadOnlyList<int>>(requests.ToList()),
            _ => 1,
            new BatchLimits(100, long.MaxValue, TimeSpan.Zero, 1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => commit.SubmitAsync(1));
        Assert.Equal(2, await commit.SubmitAsync(2));
    }

    [Fact]
    public async Task Disposing_serves_what_was_queued_and_refuses_what_comes_after()
    {
        var release = new TaskCompletionSource();
        var commit = new GroupCommit<int, int>(
            async requests =>
            {
                await release.Task;
                return requests;
            },
            _ => 1,
            new BatchLimits(100, long.MaxValue, TimeSpan.Zero, 1));
        var queued = Enumerable.Range(0, 5).Select(commit.SubmitAsync).ToList();

        var disposing = commit.DisposeAsync().AsTask();
        release.SetResult();
        await disposing;

        Assert.Equal(Enumerable.Range(0, 5), await Task.WhenAll(queued));
        Assert.Throws<ObjectDisposedException>(() => { _ = commit.SubmitAsync(9); });
    }

    private static Task WaitUntil(Func<bool> condition) =>
        Orchestrator.Testing.Eventually.UntilAsync(() => Task.FromResult(condition()), "the first batch to start");

    /// <summary>A group commit whose batches record their size and wait for <see cref="Release"/>; results are requests × 10.</summary>
    private sealed class HeldBatches : IAsyncDisposable
    {
        public HeldBatches(Func<int, long> weigh, BatchLimits limits) =>
            Commit = new GroupCommit<int, int>(
                async requests =>
                {
                    Batches.Enqueue(requests.Count);
                    await Release.Task;
                    return requests.Select(r => r * 10).ToList();
                },
                weigh,
                limits);

        public GroupCommit<int, int> Commit { get; }

        public ConcurrentQueue<int> Batches { get; } = new();

        public TaskCompletionSource Release { get; } = new();

        public ValueTask DisposeAsync() => Commit.DisposeAsync();
    }
}

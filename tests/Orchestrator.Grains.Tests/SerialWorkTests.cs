using System.Collections.Concurrent;
using Orchestrator.Grains.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

public sealed class SerialWorkTests
{
    private readonly ConcurrentQueue<string> _done = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Exception> _failures = [];
    private bool _stopped;

    private SerialWork NewWork() => new(() => _stopped, e => _failures.Add(e));

    private async Task Blocking()
    {
        _done.Enqueue("blocking");
        await _release.Task;
    }

    private Task Quick()
    {
        _done.Enqueue("quick");
        return Task.CompletedTask;
    }

    private Task Failing() => throw new InvalidOperationException("boom");

    private Task StartedAsync() => Eventually.UntilAsync(() => Task.FromResult(_done.Contains("blocking")), "the blocking work to start");

    [Fact]
    public async Task Work_asked_for_while_other_work_runs_runs_after_it_once_however_often_it_was_asked_for()
    {
        var work = NewWork();
        work.Start(Blocking);
        await StartedAsync();

        work.Start(Quick);
        work.Start(Quick);
        work.Start(Quick);
        _release.SetResult();
        await work.Running!;

        Assert.Equal(["blocking", "quick"], _done);
        work.Start(Quick);
        await work.Running!;
        Assert.Equal(["blocking", "quick", "quick"], _done);
    }

    [Fact]
    public async Task A_failure_is_reported_and_the_work_queued_behind_it_still_runs()
    {
        var work = NewWork();
        work.Start(Blocking);
        await StartedAsync();

        work.Start(Failing);
        work.Start(Quick);
        _release.SetResult();
        await work.Running!;

        Assert.Equal("boom", Assert.Single(_failures).Message);
        Assert.Equal(["blocking", "quick"], _done);
    }

    [Fact]
    public async Task Once_stopped_queued_work_is_dropped_and_nothing_new_starts()
    {
        var work = NewWork();
        work.Start(Blocking);
        await StartedAsync();
        work.Start(Quick);

        _stopped = true;
        _release.SetResult();
        await work.Running!;
        work.Start(Quick);

        Assert.True(work.Running!.IsCompleted);
        Assert.Equal(["blocking"], _done);
    }
}

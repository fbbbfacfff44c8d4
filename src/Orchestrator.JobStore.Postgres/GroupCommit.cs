using System.Threading.Channels;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// Gathers requests from many callers into batches that one round trip serves, each caller learning its own
/// result. A batch is formed only when one of <c>maxInFlight</c> slots is free, so requests that arrive while
/// earlier batches run wait together and leave together (group commit); <c>window</c> can hold a new batch open
/// a little longer for more to join.
/// </summary>
/// <typeparam name="TRequest">What a caller asks.</typeparam>
/// <typeparam name="TResult">What the caller gets back.</typeparam>
internal sealed class GroupCommit<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> _execute;
    private readonly Func<TRequest, long> _weigh;
    private readonly BatchLimits _limits;
    private readonly SemaphoreSlim _slots;
    private readonly Task _loop;
    private int _disposed;

    /// <param name="execute">Serves one batch; returns one result per request, in order, or throws for all of them.</param>
    /// <param name="weigh">A request's size, counted against <see cref="BatchLimits.MaxWeight"/>.</param>
    /// <param name="limits">Batch size, weight, window and batches in flight.</param>
    public GroupCommit(
        Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> execute,
        Func<TRequest, long> weigh,
        BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(weigh);
        ArgumentNullException.ThrowIfNull(limits);
        _execute = execute;
        _weigh = weigh;
        _limits = limits;
        _slots = new SemaphoreSlim(limits.MaxInFlight, limits.MaxInFlight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="request"/> and returns its result once its batch has been served.</summary>
    public Task<TResult> SubmitAsync(TRequest request)
    {
        var pending = new Pending(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TRequest, TResult>), "The job store has stopped.");
        }

        return pending.Result.Task;
    }

    /// <summary>Serves what was queued, then stops; later requests are refused. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _loop;
        for (var i = 0; i < _limits.MaxInFlight; i++)
        {
            await _slots.WaitAsync();
        }

        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            await _slots.WaitAsync();
            if (_limits.Window > TimeSpan.Zero)
            {
                await Task.Delay(_limits.Window);
            }

            var batch = new List<Pending>();
            long weight = 0;
            while (batch.Count < _limits.MaxBatchSize && (batch.Count == 0 || weight < _limits.MaxWeight) && reader.TryRead(out var next))
            {
                batch.Add(next);
                weight += _weigh(next.Request);
            }

            _ = ServeAsync(batch);
        }
    }

    private async Task ServeAsync(List<Pending> batch)
    {
        try
        {
            if (batch.Count == 0)
            {
                return;
            }

            var results = await _execute(batch.ConvertAll(p => p.Request));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Result);
}

/// <summary>How batches are cut.</summary>
/// <param name="MaxBatchSize">The most requests in one batch.</param>
/// <param name="MaxWeight">The most weight in one batch; a single heavier request still goes alone.</param>
/// <param name="Window">How long a batch waits for more requests after a slot became free.</param>
/// <param name="MaxInFlight">How many batches run at once.</param>
internal sealed record BatchLimits(int MaxBatchSize, long MaxWeight, TimeSpan Window, int MaxInFlight);

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The background work of one grain activation, one piece at a time. Work asked for while other work runs waits its
/// turn — once, however often it is asked for — so a reminder tick or a grant that arrives meanwhile is not lost.
/// Once <c>stopped</c> answers true, nothing more starts.
/// </summary>
/// <param name="stopped">Whether the activation takes no more work (deactivating, or its state is not to be trusted).</param>
/// <param name="failed">Reports a failure of one piece of work; the next piece still runs unless stopped.</param>
internal sealed class SerialWork(Func<bool> stopped, Action<Exception> failed)
{
    private readonly List<Func<Task>> _queued = [];
    private bool _busy;

    /// <summary>The running work and everything queued behind it; null before any work.</summary>
    public Task? Running { get; private set; }

    /// <summary>Runs <paramref name="work"/> after the caller's turn, or after the work running now.</summary>
    public void Start(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_queued)
        {
            if (stopped())
            {
                return;
            }

            if (_busy)
            {
                if (!_queued.Contains(work))
                {
                    _queued.Add(work);
                }

                return;
            }

            _busy = true;
            Running = RunAsync(work);
        }
    }

    private async Task RunAsync(Func<Task> work)
    {
        // Leave the caller's turn first: the work continues on the caller's scheduler (the activation's).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
        for (var next = work; next is not null; next = TakeQueued())
        {
            try
            {
                await next();
            }
            catch (Exception e)
            {
                failed(e);
            }
        }
    }

    private Func<Task>? TakeQueued()
    {
        lock (_queued)
        {
            if (_queued.Count == 0 || stopped())
            {
                _queued.Clear();
                _busy = false;
                return null;
            }

            var next = _queued[0];
            _queued.RemoveAt(0);
            return next;
        }
    }
}

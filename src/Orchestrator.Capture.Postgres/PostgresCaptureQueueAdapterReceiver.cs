using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestrator.Abstractions.Events;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Reads one queue of every source's event log. It leases events, publishes them on the stream of every link of
/// their input (one container per stream and read; a backfill's event only on the links it names), and deletes an event once the containers of all its links were
/// delivered (the agent purged them), by receipt, so a reader whose lease expired never deletes an event another
/// reader holds. A database is queried only when its listener marked the queue, when its listener is down, or when
/// the fallback poll is due.
/// </summary>
internal sealed partial class PostgresCaptureQueueAdapterReceiver(
    QueueId queueId,
    PostgresCaptureStreamOptions options,
    CaptureDatabases databases,
    CaptureReceivers receivers,
    TimeProvider clock,
    ILogger<PostgresCaptureQueueAdapterReceiver> logger) : IQueueAdapterReceiver
{
    private static readonly TimeSpan MaxReadRetry = TimeSpan.FromSeconds(30);

    private readonly int _queue = (int)queueId.GetNumericId();
    private readonly Lock _lock = new();
    private readonly PendingDeliveries _pending = new();
    private readonly List<SourceState> _sources = [];
    private long _lastToken;
    private int _nextSource;

    /// <summary>How many events this receiver holds leased and unacknowledged.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc />
    [Obsolete("Use the overload that takes a CancellationToken.")]
    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    /// <inheritdoc />
    [Obsolete("Use the overload that takes a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <inheritdoc />
    [Obsolete("Use the overload that takes a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <inheritdoc />
    [Obsolete("Use the overload that takes a CancellationToken.")]
    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    /// <inheritdoc />
    public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        databases.StartListening();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        databases.StartListening();
        var room = Math.Min(Math.Min(maxCount, options.MaxReadCount), options.MaxPendingEvents - PendingCount);
        var containers = new List<IBatchContainer>();
        var now = clock.GetUtcNow();
        var all = databases.All;
        while (_sources.Count < all.Count)
        {
            _sources.Add(new SourceState());
        }

        var first = _nextSource % Math.Max(1, _sources.Count);
        _nextSource = _sources.Count == 0 ? 0 : (first + 1) % _sources.Count;
        for (var n = 0; n < _sources.Count && room > 0; n++)
        {
            var index = (first + n) % _sources.Count;
            var database = all[index];
            var state = _sources[index];
            if (now < state.RetryAt
                || (!database.Listener.TakeDirty(_queue) && database.Listener.IsConnected && now - state.LastRead < options.FallbackPollInterval))
            {
                continue;
            }

            state.LastRead = now;
            List<LeasedEvent> leased;
            try
            {
                leased = await database.Store.LeaseAsync(_queue, room, options.LeaseDuration, databases.Topology.OrderedInputs, cancellationToken);
                state.Failures = 0;
            }
            catch (NpgsqlException e)
            {
                database.Listener.MarkDirty(_queue);
                state.Failures++;
                state.RetryAt = now + TimeSpan.FromMilliseconds(Math.Min(MaxReadRetry.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(state.Failures, 16))));
                LogReadFailed(logger, e, _queue, index, state.Failures);
                continue;
            }

            if (leased.Count == room)
            {
                database.Listener.MarkDirty(_queue);
            }

            room -= leased.Count;
            await PublishAsync(index, leased, containers, cancellationToken);
        }

        return containers;
    }

    /// <inheritdoc />
    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var done = new List<SourceReceipt>();
        lock (_lock)
        {
            foreach (var message in messages)
            {
                done.AddRange(_pending.Delivered(message.SequenceToken.SequenceNumber));
            }
        }

        await ForEachSourceAsync(done, (store, receipts) => store.DeleteAsync(receipts, cancellationToken));
        if (done.Count > 0 && databases.Topology.OrderedInputs.Count > 0)
        {
            // A deleted event may have held back the next event of its row (same queue): read again at the next tick.
            foreach (var source in done.Select(r => r.Source).Distinct())
            {
                databases.All[source].Listener.MarkDirty(_queue);
            }
        }
    }

    /// <inheritdoc />
    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        receivers.Remove(queueId, this);
        List<SourceReceipt> held;
        lock (_lock)
        {
            held = _pending.TakeAll();
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await ForEachSourceAsync(held, (store, receipts) => store.ReleaseAsync(receipts, deadline.Token));
            LogReleased(logger, held.Count, _queue);
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException)
        {
            LogReleaseFailed(logger, e, held.Count, _queue);
        }
    }

    /// <summary>
    /// Gives up the events of a container whose delivery failed: their leases are released so they are read and
    /// delivered again at once. Events whose lease has moved on are left alone.
    /// </summary>
    public async Task ReleaseFailedAsync(StreamId streamId, StreamSequenceToken? token)
    {
        if (token is null)
        {
            return;
        }

        List<SourceReceipt> failed;
        lock (_lock)
        {
            failed = _pending.Failed(token.SequenceNumber);
        }

        LogDeliveryFailed(logger, failed.Count, streamId, _queue);
        try
        {
            await ForEachSourceAsync(failed, (store, receipts) => store.ReleaseAsync(receipts, CancellationToken.None));
        }
        catch (NpgsqlException e)
        {
            LogReleaseFailed(logger, e, failed.Count, _queue);
        }
    }

    private async Task PublishAsync(int source, List<LeasedEvent> leased, List<IBatchContainer> containers, CancellationToken cancellationToken)
    {
        var addressed = Address(leased);
        var graphRead = true;
        if (addressed.Any(a => a.Links.Count == 0))
        {
            // An event for no link this silo knows may be for one added a moment ago: read the graph before dropping it.
            // If the graph cannot be read, such events are kept (read again when their leases expire).
            try
            {
                await databases.Topology.RefreshAsync(cancellationToken);
                addressed = Address(leased);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                graphRead = false;
                LogGraphUnread(logger, e, _queue);
            }
        }

        var byStream = new Dictionary<(string Input, string Link), List<LeasedEvent>>();
        var orphans = new List<EventReceipt>();
        foreach (var (read, links) in addressed)
        {
            if (links.Count == 0)
            {
                orphans.Add(new EventReceipt(read.Event.Id, read.Deliveries));
            }

            foreach (var link in links)
            {
                if (!byStream.TryGetValue((read.Event.InputId, link), out var events))
                {
                    byStream[(read.Event.InputId, link)] = events = [];
                }

                events.Add(read);
            }
        }

        lock (_lock)
        {
            foreach (var ((input, link), events) in byStream)
            {
                var token = ++_lastToken;
                _pending.Add(token, source, events.Select(e => new EventReceipt(e.Event.Id, e.Deliveries)));
                containers.Add(new PostgresCaptureBatchContainer(
                    StreamId.Create(CaptureStreams.NamespaceOf(input), link),
                    new CapturedEventBatch(events.Select(e => e.Event).ToList()),
                    new EventSequenceTokenV2(token)));
            }
        }

        if (orphans.Count > 0 && graphRead)
        {
            LogNoLinks(logger, orphans.Count, source, _queue);
            try
            {
                await databases.All[source].Store.DeleteAsync(orphans, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                LogDeleteFailed(logger, e, orphans.Count, _queue);
            }
        }
    }

    /// <summary>Each event with the links it is for, as the silo's graph knows them now.</summary>
    private List<(LeasedEvent Read, IReadOnlyList<string> Links)> Address(List<LeasedEvent> leased) =>
        leased.Select(r => (r, r.AddressedFrom(databases.Topology.LinksFor(r.Event.InputId)))).ToList();

    private async Task ForEachSourceAsync(List<SourceReceipt> receipts, Func<EventLogStore, IReadOnlyCollection<EventReceipt>, Task<int>> action)
    {
        foreach (var group in receipts.GroupBy(r => r.Source))
        {
            await action(databases.All[group.Key].Store, group.Select(r => r.Receipt).ToList());
        }
    }

    private sealed class SourceState
    {
        public DateTimeOffset LastRead { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset RetryAt { get; set; } = DateTimeOffset.MinValue;

        public int Failures { get; set; }
    }

    [LoggerMessage(1, LogLevel.Information, "Released {Count} leased events of queue {Queue} on shutdown")]
    private static partial void LogReleased(ILogger logger, int count, int queue);

    [LoggerMessage(2, LogLevel.Warning, "Could not release {Count} leased events of queue {Queue}; they are read again when their leases expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, int count, int queue);

    [LoggerMessage(3, LogLevel.Warning, "{Count} events of source {Source}, queue {Queue} are for no loaded link (their input has none, or a backfill named others); they are deleted")]
    private static partial void LogNoLinks(ILogger logger, int count, int source, int queue);

    [LoggerMessage(4, LogLevel.Warning, "Reading queue {Queue} of source {Source} failed ({Failures} in a row); the other sources are still read")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, int queue, int source, int failures);

    [LoggerMessage(5, LogLevel.Warning, "Delivering {Count} events on stream {StreamId} (queue {Queue}) failed; their leases are released so they are delivered again")]
    private static partial void LogDeliveryFailed(ILogger logger, int count, StreamId streamId, int queue);

    [LoggerMessage(6, LogLevel.Warning, "Could not delete {Count} events of queue {Queue}; they are read again when their leases expire")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, int count, int queue);

    [LoggerMessage(7, LogLevel.Warning, "Queue {Queue} read events for no link this silo knows, and the pipeline graph could not be read; they are kept and read again when their leases expire")]
    private static partial void LogGraphUnread(ILogger logger, Exception exception, int queue);
}

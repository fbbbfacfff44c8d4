using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Events;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Reads one queue of the event logs. It leases events, publishes each on the stream of every link of its input,
/// and deletes an event only when the containers of all those links were delivered (the agent purged them), with
/// a receipt check so a stale reader never deletes an event another reader has leased since.
/// </summary>
internal sealed partial class PostgresCaptureQueueAdapterReceiver(
    QueueId queueId,
    PostgresCaptureStreamOptions options,
    ICaptureTopology topology,
    CaptureDatabases databases,
    CaptureListener listener,
    TimeProvider clock,
    ILogger<PostgresCaptureQueueAdapterReceiver> logger) : IQueueAdapterReceiver
{
    private readonly int _queue = (int)queueId.GetNumericId();
    private readonly Dictionary<(int Source, long Id), PendingEvent> _pending = [];
    private readonly Dictionary<long, List<(int Source, long Id, string Link)>> _containers = [];
    private long _lastToken;
    private DateTimeOffset _lastRead = DateTimeOffset.MinValue;

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
        listener.EnsureStarted(options.QueueCount);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = now - _lastRead >= options.FallbackPollInterval;
        if (!listener.TakeDirty(_queue) && listener.AllConnected && !due)
        {
            return [];
        }

        _lastRead = now;
        var batch = new List<IBatchContainer>();
        var limit = Math.Clamp(maxCount, 1, options.MaxReadCount);
        foreach (var source in topology.Sources)
        {
            var leased = await databases.StoreOf(source).LeaseAsync(_queue, limit, options.LeaseDuration, cancellationToken);
            if (leased.Count == limit)
            {
                listener.MarkDirty(_queue);
            }

            if (leased.Count > 0)
            {
                await PublishAsync(source, leased, batch);
            }
        }

        return batch;
    }

    /// <inheritdoc />
    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var done = new List<(int Source, Receipt Receipt)>();
        foreach (var message in messages)
        {
            var token = ((EventSequenceTokenV2)message.SequenceToken).SequenceNumber;
            if (!_containers.Remove(token, out var deliveries))
            {
                continue;
            }

            foreach (var (source, id, link) in deliveries)
            {
                if (_pending.TryGetValue((source, id), out var pending) && pending.Outstanding.Remove(link) && pending.Outstanding.Count == 0)
                {
                    _pending.Remove((source, id));
                    done.Add((source, new Receipt(id, pending.Deliveries)));
                }
            }
        }

        await ForEachSourceAsync(done, (store, receipts) => store.DeleteAsync(receipts, cancellationToken));
    }

    /// <inheritdoc />
    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var held = _pending.Select(p => (p.Key.Source, new Receipt(p.Key.Id, p.Value.Deliveries))).ToList();
        _pending.Clear();
        _containers.Clear();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await ForEachSourceAsync(held, (store, receipts) => store.ReleaseAsync(receipts, deadline.Token));
            LogReleased(logger, held.Count, _queue);
        }
        catch (Exception e) when (e is OperationCanceledException or Npgsql.NpgsqlException)
        {
            LogReleaseFailed(logger, e, held.Count, _queue);
        }
    }

    private async Task PublishAsync(CaptureSource source, List<LeasedEvent> leased, List<IBatchContainer> batch)
    {
        var byStream = new Dictionary<(string Input, string Link), List<CapturedEvent>>();
        var orphans = new List<Receipt>();
        foreach (var (captured, deliveries) in leased)
        {
            var links = topology.LinksFor(captured.InputId);
            if (links.Count == 0)
            {
                orphans.Add(new Receipt(captured.Id, deliveries));
                continue;
            }

            var key = (source.Index, captured.Id);
            if (_pending.TryGetValue(key, out var pending))
            {
                pending.Deliveries = deliveries;
            }
            else
            {
                _pending[key] = new PendingEvent(deliveries, [.. links]);
            }

            foreach (var link in links)
            {
                var stream = (captured.InputId, link);
                if (!byStream.TryGetValue(stream, out var events))
                {
                    byStream[stream] = events = [];
                }

                events.Add(captured);
            }
        }

        foreach (var ((input, link), events) in byStream)
        {
            var token = ++_lastToken;
            _containers[token] = events.Select(e => (source.Index, e.Id, link)).ToList();
            batch.Add(new PostgresCaptureBatchContainer(
                StreamId.Create(CaptureStreams.NamespaceOf(input), link),
                new CapturedEventBatch(events),
                new EventSequenceTokenV2(token)));
        }

        if (orphans.Count > 0)
        {
            LogNoLinks(logger, orphans.Count, source.Index);
            await databases.StoreOf(source).DeleteAsync(orphans, CancellationToken.None);
        }
    }

    private async Task ForEachSourceAsync(List<(int Source, Receipt Receipt)> receipts, Func<EventLogStore, IReadOnlyCollection<Receipt>, Task<int>> action)
    {
        foreach (var group in receipts.GroupBy(r => r.Source))
        {
            var source = topology.Sources.First(s => s.Index == group.Key);
            await action(databases.StoreOf(source), group.Select(r => r.Receipt).ToList());
        }
    }

    private sealed class PendingEvent(int deliveries, HashSet<string> outstanding)
    {
        public int Deliveries { get; set; } = deliveries;

        public HashSet<string> Outstanding { get; } = outstanding;
    }

    [LoggerMessage(1, LogLevel.Information, "Released {Count} leased events of queue {Queue}")]
    private static partial void LogReleased(ILogger logger, int count, int queue);

    [LoggerMessage(2, LogLevel.Warning, "Could not release {Count} leased events of queue {Queue}; their leases will expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, int count, int queue);

    [LoggerMessage(3, LogLevel.Warning, "{Count} events of source {Source} belong to inputs without links; they are dropped")]
    private static partial void LogNoLinks(ILogger logger, int count, int source);
}

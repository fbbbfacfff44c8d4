using System.Collections.Concurrent;

namespace Orchestrator.Capture.Postgres;

/// <summary>The receiver currently reading each queue on this silo, so a queue's failure handler can reach it.</summary>
internal sealed class CaptureReceivers
{
    private readonly ConcurrentDictionary<QueueId, PostgresCaptureQueueAdapterReceiver> _byQueue = new();

    public int Count => _byQueue.Count;

    public void Add(QueueId queueId, PostgresCaptureQueueAdapterReceiver receiver) => _byQueue[queueId] = receiver;

    /// <summary>Forgets <paramref name="receiver"/> unless another receiver has taken its queue since.</summary>
    public void Remove(QueueId queueId, PostgresCaptureQueueAdapterReceiver receiver) => _byQueue.TryRemove(KeyValuePair.Create(queueId, receiver));

    public PostgresCaptureQueueAdapterReceiver? Find(QueueId queueId) => _byQueue.GetValueOrDefault(queueId);
}

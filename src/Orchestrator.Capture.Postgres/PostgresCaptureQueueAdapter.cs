using Microsoft.Extensions.Logging;

namespace Orchestrator.Capture.Postgres;

/// <summary>The read-only adapter: events enter the log through the capture triggers, never through Orleans.</summary>
internal sealed class PostgresCaptureQueueAdapter(
    string name,
    PostgresCaptureStreamOptions options,
    Lazy<CaptureDatabases> databases,
    CaptureReceivers receivers,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public bool IsRewindable => false;

    /// <inheritdoc />
    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    /// <inheritdoc />
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var receiver = new PostgresCaptureQueueAdapterReceiver(
            queueId, options, databases.Value, receivers, TimeProvider.System, loggerFactory.CreateLogger<PostgresCaptureQueueAdapterReceiver>());
        receivers.Add(queueId, receiver);
        return receiver;
    }

    /// <inheritdoc />
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"Stream provider '{name}' is read-only: its events come from the capture triggers in Postgres.");
}

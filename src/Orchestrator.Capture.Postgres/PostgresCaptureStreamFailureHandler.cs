namespace Orchestrator.Capture.Postgres;

/// <summary>
/// Handles a delivery the pulling agent gave up on: the failed container's events are released at once so they are
/// read and delivered again (consumers record jobs under deterministic keys, so a redelivery is harmless). It never
/// faults a subscription.
/// </summary>
internal sealed class PostgresCaptureStreamFailureHandler(QueueId queueId, CaptureReceivers receivers) : IStreamFailureHandler
{
    /// <inheritdoc />
    public bool ShouldFaultSubsriptionOnError => false;

    /// <inheritdoc />
    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        receivers.Find(queueId)?.ReleaseFailedAsync(streamIdentity, sequenceToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Task.CompletedTask;
}

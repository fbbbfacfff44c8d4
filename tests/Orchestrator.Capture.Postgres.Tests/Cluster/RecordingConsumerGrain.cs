using Orchestrator.Abstractions.Events;
using Orleans.Streams.Core;

namespace Orchestrator.Capture.Postgres.Tests.Cluster;

/// <summary>Records every captured event it is delivered in <see cref="Deliveries"/>, failing first when told to.</summary>
[RegexImplicitStreamSubscription("^input/")]
public sealed class RecordingConsumerGrain : Grain, IRecordingConsumerGrain, IStreamSubscriptionObserver
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.Create<CapturedEventBatch>().ResumeAsync(new Observer(handleFactory.StreamId));
    }

    private sealed class Observer(StreamId streamId) : IAsyncObserver<CapturedEventBatch>
    {
        public Task OnNextAsync(CapturedEventBatch item, StreamSequenceToken? token = null)
        {
            Deliveries.Record(streamId, item, token);
            return Task.CompletedTask;
        }

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}

using Orchestrator.Abstractions.Events;
using Orleans.Concurrency;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The events of one read for one link's stream, delivered as a single <see cref="CapturedEventBatch"/>. The token
/// is the receiver's read counter, not an event id: a redelivered event gets a new, later token.
/// </summary>
/// <param name="streamId">The link's stream: namespace <c>input/{inputId}</c>, key the link id.</param>
/// <param name="batch">The events, oldest id first.</param>
/// <param name="token">The receiver's token for this container.</param>
[GenerateSerializer, Immutable]
[Alias("orchestrator.capture-batch-container")]
public sealed class PostgresCaptureBatchContainer(StreamId streamId, CapturedEventBatch batch, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(2)]
    private readonly EventSequenceTokenV2 _token = token;

    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    /// <summary>The events.</summary>
    [Id(1)]
    public CapturedEventBatch Batch { get; } = batch;

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => _token;

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Batch is T item ? [Tuple.Create(item, (StreamSequenceToken)_token)] : [];

    /// <inheritdoc />
    public bool ImportRequestContext() => false;
}

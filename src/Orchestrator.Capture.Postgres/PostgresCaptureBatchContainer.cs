using Orchestrator.Abstractions.Events;
using Orleans.Providers.Streams.Common;

namespace Orchestrator.Capture.Postgres;

/// <summary>The events of one read for one link's stream, delivered as a single <see cref="CapturedEventBatch"/>.</summary>
[GenerateSerializer]
[Alias("orchestrator.capture-batch-container")]
public sealed class PostgresCaptureBatchContainer(StreamId streamId, CapturedEventBatch batch, EventSequenceTokenV2 token) : IBatchContainer
{
    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    /// <summary>The events.</summary>
    [Id(1)]
    public CapturedEventBatch Batch { get; } = batch;

    [Id(2)]
    private readonly EventSequenceTokenV2 _token = token;

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => _token;

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Batch is T item ? [Tuple.Create(item, (StreamSequenceToken)_token)] : [];

    /// <inheritdoc />
    public bool ImportRequestContext() => false;
}

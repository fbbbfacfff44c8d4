using System.Collections.Concurrent;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres.Tests.Cluster;

/// <summary>
/// What the recording consumers were delivered, by stream namespace (each test uses its own input id, so its own
/// namespace), and the failures a test asked for.
/// </summary>
public static class Deliveries
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<Delivery>> Received = new();
    private static readonly ConcurrentDictionary<string, int> FailuresToInject = new();

    /// <summary>Makes the next <paramref name="count"/> deliveries on <paramref name="inputId"/>'s streams throw.</summary>
    public static void FailNext(string inputId, int count) => FailuresToInject[CaptureStreams.NamespaceOf(inputId)] = count;

    /// <summary>Every delivery attempt on <paramref name="inputId"/>'s streams so far, failed ones included.</summary>
    public static IReadOnlyList<Delivery> Of(string inputId) =>
        Received.TryGetValue(CaptureStreams.NamespaceOf(inputId), out var deliveries) ? deliveries.ToList() : [];

    /// <summary>The ids of the events delivered successfully to <paramref name="linkId"/>.</summary>
    public static IReadOnlySet<long> EventIds(string inputId, string linkId) =>
        Of(inputId).Where(d => d.Link == linkId && !d.Failed).SelectMany(d => d.EventIds).ToHashSet();

    internal static void Record(StreamId streamId, CapturedEventBatch batch, StreamSequenceToken? token)
    {
        var streamNamespace = streamId.GetNamespace() ?? "";
        var fail = false;
        FailuresToInject.AddOrUpdate(streamNamespace, 0, (_, left) =>
        {
            fail = left > 0;
            return Math.Max(0, left - 1);
        });
        Received.GetOrAdd(streamNamespace, _ => new()).Enqueue(
            new Delivery(streamId.GetKeyAsString(), batch.Events.Select(e => e.Id).ToList(), token?.SequenceNumber ?? -1, fail));
        if (fail)
        {
            throw new InvalidOperationException($"Injected failure on {streamId}.");
        }
    }
}

/// <summary>One delivery attempt.</summary>
/// <param name="Link">The stream key: the link id.</param>
/// <param name="EventIds">The events of the batch.</param>
/// <param name="Token">The container's sequence number.</param>
/// <param name="Failed">Whether the consumer threw.</param>
public sealed record Delivery(string Link, IReadOnlyList<long> EventIds, long Token, bool Failed);

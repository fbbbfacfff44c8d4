using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orchestrator.Grains.Links;

/// <summary>
/// One link, keyed by its id. It is subscribed implicitly to every input stream namespace; the stream keyed by its
/// id carries its input's events. Each event becomes the job <see cref="JobKeys.For"/>, and a delivery returns only
/// once every job of the batch is persisted, so the stream provider acknowledges events only after that. The link
/// keeps no state of its own: its jobs are found by querying the job table (<see cref="IJobQueryGrain"/>).
/// Reentrant: every queue's pulling agent delivers to the link, and with nothing to guard, one queue's delivery
/// waiting for its jobs' write must not hold the others back. Each agent still awaits its own delivery before the
/// next, so the changes of one row (which share a queue) arrive in order.
/// </summary>
[RegexImplicitStreamSubscription("^input/")]
[Reentrant]
public sealed partial class LinkGrain(
    IPipelineGraph graph,
    ILogger<LinkGrain> logger) : Grain, ILinkGrain, IStreamSubscriptionObserver, IAsyncObserver<CapturedEventBatch>
{
    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.Create<CapturedEventBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public async Task OnNextAsync(CapturedEventBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var linkId = this.GetPrimaryKeyString();

        // A link this silo does not know yet may have been added a moment ago: read the graph before concluding it was
        // removed (a failed read fails the delivery, which is tried again).
        if ((graph.Current.FindLink(linkId) ?? (await graph.RefreshAsync()).FindLink(linkId)) is not { } link)
        {
            LogRemovedLink(logger, linkId, item.Events.Count);
            return;
        }

        await Task.WhenAll(item.Events.Select(e =>
            GrainFactory.GetGrain<IJobGrain>(JobKeys.For(link.Id, e.Id)).AcknowledgeAsync(new JobRequest(link.Id, link.Process, e))));
    }

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Warning, "Link {LinkId} is no longer in the pipeline graph; {Count} events published for it before its removal are skipped")]
    private static partial void LogRemovedLink(ILogger logger, string linkId, int count);

    [LoggerMessage(2, LogLevel.Error, "The stream of link {LinkId} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string linkId);
}

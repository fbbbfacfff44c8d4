using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.JobStore.Postgres;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orchestrator.Grains.Links;

/// <summary>
/// One link, keyed by its id. It is subscribed implicitly to every input stream namespace; the stream keyed by its
/// id carries its input's events. Each event that passes the link's filter becomes the job <see cref="JobKeys.For"/>,
/// and a delivery returns only once every job of the batch is persisted (and the filtered events counted), so the
/// stream provider acknowledges events only after that. Events that reach a link after it was removed from the graph
/// make no job and are counted as skipped. The link
/// keeps no state of its own: its jobs are found by querying the job table (<see cref="IJobQueryGrain"/>).
/// Reentrant: every queue's pulling agent delivers to the link, and with nothing to guard, one queue's delivery
/// waiting for its jobs' write must not hold the others back. Each agent still awaits its own delivery before the
/// next, so the changes of one row (which share a queue) arrive in order.
/// </summary>
[RegexImplicitStreamSubscription("^input/")]
[Reentrant]
public sealed partial class LinkGrain(
    IPipelineGraph graph,
    ILinkFilters filters,
    LinkCounters counters,
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
        var catalog = await graph.KnowingAsync(c => c.FindLink(linkId) is not null);
        if (catalog.FindLink(linkId) is not { } link)
        {
            LogRemovedLink(logger, linkId, item.Events.Count);
            await counters.AddSkippedAsync(linkId, item.Events.Count);
            return;
        }

        var filter = await filters.GetAsync(link, catalog.FindInput(link.Input)!, CancellationToken.None);
        var wanted = filter is null ? item.Events : item.Events.Where(filter.Passes).ToList();
        await Task.WhenAll(wanted.Select(e =>
            GrainFactory.GetGrain<IJobGrain>(JobKeys.For(link.Id, e.Id)).AcknowledgeAsync(new JobRequest(link.Id, link.Process, e))));
        if (wanted.Count < item.Events.Count)
        {
            await counters.AddFilteredAsync(link.Id, item.Events.Count - wanted.Count);
        }
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

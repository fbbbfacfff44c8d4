using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Grains.Jobs;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orchestrator.Grains.Links;

/// <summary>
/// One link, keyed by its id. It is subscribed implicitly to every input stream namespace; the stream keyed by its
/// id carries its input's events. Each event becomes the job <see cref="JobKeys.For"/>, and a delivery returns only
/// once every job of the batch is persisted, so the stream provider acknowledges events only after that.
/// </summary>
[RegexImplicitStreamSubscription("^input/")]
public sealed partial class LinkGrain(
    [PersistentState("link", JobGrain.StorageName)] IPersistentState<LinkState> state,
    PipelineCatalog catalog,
    ILogger<LinkGrain> logger) : Grain, ILinkGrain, IStreamSubscriptionObserver, IAsyncObserver<CapturedEventBatch>
{
    private const int SummaryFanOut = 64;
    private RecentJobs? _recent;

    private RecentJobs Recent => _recent ??= new RecentJobs(state.State.RecentJobIds);

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
        if (catalog.FindLink(linkId) is not { } link)
        {
            LogUnknownLink(logger, linkId, item.Events.Count);
            return;
        }

        var jobs = await Task.WhenAll(item.Events.Select(e =>
            GrainFactory.GetGrain<IJobGrain>(JobKeys.For(link.Id, e.Id)).AcknowledgeAsync(new JobRequest(link.Id, link.Process, e))));
        if (Recent.AddRange(jobs.Select(j => j.JobId)))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobSummary>> ListJobsAsync(int limit, JobStatus? status)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<JobSummary>();
        foreach (var chunk in Recent.NewestFirst().Chunk(SummaryFanOut))
        {
            var summaries = await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IJobGrain>(id).GetSummaryAsync()));
            found.AddRange(summaries.OfType<JobSummary>().Where(s => status is null || s.Status == status));
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found.Take(limit).ToList();
    }

    [LoggerMessage(1, LogLevel.Warning, "Link {LinkId} is not in the loaded pipelines; {Count} events for it are dropped")]
    private static partial void LogUnknownLink(ILogger logger, string linkId, int count);

    [LoggerMessage(2, LogLevel.Error, "The stream of link {LinkId} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string linkId);
}

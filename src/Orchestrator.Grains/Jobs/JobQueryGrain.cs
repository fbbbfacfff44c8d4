using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.JobStore.Postgres;
using Orleans.Concurrency;

namespace Orchestrator.Grains.Jobs;

/// <summary>Answers job queries from the job table on whichever silo the caller reaches; activates no job.</summary>
[StatelessWorker]
public sealed class JobQueryGrain(JobQueries queries, LinkCounters counters) : Grain, IJobQueryGrain
{
    /// <inheritdoc />
    public Task<JobPage> QueryAsync(JobQuery query) => queries.QueryAsync(query);

    /// <inheritdoc />
    public async Task<JobCounts> CountAsync(IReadOnlyList<string> links) =>
        new(await queries.CountAsync(links), await counters.CountsAsync(links));
}

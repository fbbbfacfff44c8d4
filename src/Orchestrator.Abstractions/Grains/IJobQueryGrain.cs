using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// Queries over every job of the cluster, answered from the job table's indexes (no job grain is activated).
/// A stateless worker: use any key, e.g. 0.
/// </summary>
public interface IJobQueryGrain : IGrainWithIntegerKey
{
    /// <summary>One page of the jobs <paramref name="query"/> selects, newest first. Throws <see cref="ArgumentException"/> for an invalid query.</summary>
    Task<JobPage> QueryAsync(JobQuery query);

    /// <summary>
    /// How many jobs each link has in each status, and how many events each link's filter kept from making a job;
    /// only <paramref name="links"/> when it names any.
    /// </summary>
    Task<JobCounts> CountAsync(IReadOnlyList<string> links);
}

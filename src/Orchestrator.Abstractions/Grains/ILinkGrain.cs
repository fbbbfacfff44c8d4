using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// One link (input → process), keyed by the link's id. It consumes the link's stream of its input's events and
/// makes one job per event.
/// </summary>
public interface ILinkGrain : IGrainWithStringKey
{
    /// <summary>The link's most recent jobs, newest first, optionally only those in <paramref name="status"/>.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<JobSummary>> ListJobsAsync(int limit, JobStatus? status);
}

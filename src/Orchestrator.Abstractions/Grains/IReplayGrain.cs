using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// One replay of a link's finished jobs, keyed by its id (the caller picks it, e.g. a new GUID; starting the same id again changes nothing).
/// It re-runs the selected finished jobs a page at a time, in the background of its activation, and keeps its
/// progress durably: a replay cut off by a crash carries on where its last page ended, and a job is never
/// replayed twice by the same replay.
/// </summary>
public interface IReplayGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the replay of <paramref name="request"/> and returns its progress; the progress of the replay already
    /// started under this id, if any. Throws <see cref="ArgumentException"/> for an invalid request.
    /// </summary>
    Task<ReplayProgress> StartAsync(ReplayRequest request);

    /// <summary>The replay's progress, or null when no replay has this id.</summary>
    [AlwaysInterleave]
    Task<ReplayProgress?> GetProgressAsync();
}

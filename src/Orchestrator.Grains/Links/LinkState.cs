namespace Orchestrator.Grains.Links;

/// <summary>The persisted part of a link: the ids of its most recent jobs, oldest first.</summary>
[GenerateSerializer]
[Alias("orchestrator.link-state")]
public sealed class LinkState
{
    /// <summary>Job ids, oldest first, at most <see cref="RecentJobs.Capacity"/>.</summary>
    [Id(0)] public List<string> RecentJobIds { get; set; } = [];
}

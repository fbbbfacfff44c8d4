using Orchestrator.Grains.Links;

namespace Orchestrator.Grains.Tests;

public sealed class RecentJobsTests
{
    [Fact]
    public void Keeps_arrival_order_without_duplicates_newest_first()
    {
        var ids = new List<string>();
        var recent = new RecentJobs(ids);

        Assert.True(recent.AddRange(["a", "b"]));
        Assert.False(recent.AddRange(["a"]));
        Assert.True(recent.AddRange(["b", "c"]));

        Assert.Equal(["c", "b", "a"], recent.NewestFirst());
        Assert.Equal(["a", "b", "c"], ids);
    }

    [Fact]
    public void Drops_the_oldest_past_capacity_and_forgets_them()
    {
        var recent = new RecentJobs([]);
        recent.AddRange(Enumerable.Range(0, RecentJobs.Capacity + 5).Select(i => $"j{i}"));

        Assert.Equal(RecentJobs.Capacity, recent.NewestFirst().Count());
        Assert.Equal($"j{RecentJobs.Capacity + 4}", recent.NewestFirst().First());
        Assert.True(recent.AddRange(["j0"]));
    }
}

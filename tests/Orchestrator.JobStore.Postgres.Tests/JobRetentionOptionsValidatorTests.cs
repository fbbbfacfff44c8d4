namespace Orchestrator.JobStore.Postgres.Tests;

/// <summary>The retention options' checks name the option that is wrong.</summary>
public sealed class JobRetentionOptionsValidatorTests
{
    [Fact]
    public void Defaults_and_zero_ages_are_valid()
    {
        Assert.Empty(JobRetentionOptionsValidator.Problems(new JobRetentionOptions()));
        Assert.Empty(JobRetentionOptionsValidator.Problems(new JobRetentionOptions
        {
            SucceededAge = TimeSpan.Zero, FailedAge = TimeSpan.Zero, DiscardedAge = TimeSpan.Zero,
        }));
    }

    [Fact]
    public void Each_problem_names_its_option()
    {
        var problems = JobRetentionOptionsValidator.Problems(new JobRetentionOptions
        {
            SucceededAge = TimeSpan.FromSeconds(-1),
            FailedAge = TimeSpan.FromDays(40_000),
            DiscardedAge = TimeSpan.FromMinutes(-5),
            Interval = TimeSpan.FromMilliseconds(10),
            BatchSize = 0,
        });

        Assert.Collection(
            problems,
            p => Assert.StartsWith("SucceededAge is -00:00:01;", p),
            p => Assert.StartsWith("FailedAge is 40000.00:00:00;", p),
            p => Assert.StartsWith("DiscardedAge is -00:05:00;", p),
            p => Assert.StartsWith("Interval is 00:00:00.0100000;", p),
            p => Assert.StartsWith("BatchSize is 0;", p));
    }
}

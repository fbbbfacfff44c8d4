namespace Orchestrator.JobStore.Postgres;

/// <summary>Checks <see cref="JobRetentionOptions"/> before a silo uses them.</summary>
public static class JobRetentionOptionsValidator
{
    /// <summary>What is wrong, one line a property (named as in the options); empty when the options can be used.</summary>
    public static IReadOnlyList<string> Problems(JobRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Age(nameof(JobRetentionOptions.SucceededAge), options.SucceededAge, problems);
        Age(nameof(JobRetentionOptions.FailedAge), options.FailedAge, problems);
        Age(nameof(JobRetentionOptions.DiscardedAge), options.DiscardedAge, problems);
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromDays(1))
        {
            problems.Add($"{nameof(JobRetentionOptions.Interval)} is {options.Interval}; use 00:00:01 to 1.00:00:00");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            problems.Add($"{nameof(JobRetentionOptions.BatchSize)} is {options.BatchSize}; use 1 to 100000");
        }

        return problems;
    }

    private static void Age(string name, TimeSpan age, List<string> problems)
    {
        if (age < TimeSpan.Zero || age > JobRetentionOptions.MaxAge)
        {
            problems.Add($"{name} is {age}; use 0 (keep for ever) up to {JobRetentionOptions.MaxAge.Days} days");
        }
    }
}

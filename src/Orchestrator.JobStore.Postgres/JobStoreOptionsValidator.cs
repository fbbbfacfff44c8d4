namespace Orchestrator.JobStore.Postgres;

/// <summary>Checks <see cref="JobStoreOptions"/> before a silo uses them.</summary>
internal static class JobStoreOptionsValidator
{
    /// <summary>What is wrong, one line a property; empty when the options can be used.</summary>
    public static IReadOnlyList<string> Problems(JobStoreOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add($"{nameof(JobStoreOptions.ConnectionString)} is required");
        }

        if (options.BatchWindow < TimeSpan.Zero || options.BatchWindow > TimeSpan.FromSeconds(1))
        {
            problems.Add($"{nameof(JobStoreOptions.BatchWindow)} is {options.BatchWindow}; use 0 to 1 second");
        }

        if (options.MaxBatchSize is < 1 or > 10_000)
        {
            problems.Add($"{nameof(JobStoreOptions.MaxBatchSize)} is {options.MaxBatchSize}; use 1 to 10000");
        }

        if (options.MaxBatchBytes < 1)
        {
            problems.Add($"{nameof(JobStoreOptions.MaxBatchBytes)} is {options.MaxBatchBytes}; use at least 1");
        }

        if (options.MaxBatchesInFlight is < 1 or > 64)
        {
            problems.Add($"{nameof(JobStoreOptions.MaxBatchesInFlight)} is {options.MaxBatchesInFlight}; use 1 to 64");
        }

        return problems;
    }
}

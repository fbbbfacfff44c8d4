namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>Checks <see cref="BackfillOptions"/> when they are registered.</summary>
internal static class BackfillOptionsValidator
{
    /// <summary>What is wrong with <paramref name="options"/>, one entry per property; empty when they are valid.</summary>
    public static List<string> Problems(BackfillOptions options)
    {
        var problems = new List<string>();
        Require(!string.IsNullOrWhiteSpace(options.ConnectionString), nameof(BackfillOptions.ConnectionString), "must be set");
        Require(options.QueueCount > 0, nameof(BackfillOptions.QueueCount), "must be positive");
        Require(options.PageSize is > 0 and <= BackfillPlanner.MaxPageSize, nameof(BackfillOptions.PageSize), $"must be 1 to {BackfillPlanner.MaxPageSize}");
        Require(options.MaxPendingEvents > 0, nameof(BackfillOptions.MaxPendingEvents), "must be positive");
        Require(options.IdlePollInterval > TimeSpan.Zero, nameof(BackfillOptions.IdlePollInterval), "must be positive");
        return problems;

        void Require(bool holds, string property, string problem)
        {
            if (!holds)
            {
                problems.Add($"{property} {problem}");
            }
        }
    }
}

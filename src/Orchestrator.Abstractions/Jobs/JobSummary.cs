namespace Orchestrator.Abstractions.Jobs;

/// <summary>A job in one line: what list views show.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-summary")]
public sealed record JobSummary(
    [property: Id(0)] string JobId,
    [property: Id(1)] string LinkId,
    [property: Id(2)] string ProcessId,
    [property: Id(3)] JobStatus Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] long EventId,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] long? LastExitCode)
{
    /// <summary>The summary of a job record.</summary>
    public static JobSummary Of(JobState state) => new(
        state.JobId,
        state.LinkId,
        state.ProcessId,
        state.Status,
        state.Attempts,
        state.Event?.Id ?? 0,
        state.Transitions.Count == 0 ? DateTimeOffset.MinValue : state.Transitions[^1].At,
        state.Transitions.Count == 0 ? DateTimeOffset.MinValue : state.Transitions[0].At,
        state.Runs.LastOrDefault(r => r.ExitCode is not null)?.ExitCode);
}

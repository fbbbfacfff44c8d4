namespace Orchestrator.Grains.Jobs;

/// <summary>What one attempt produced, whatever the process kind: an exit code, or an error that prevented one.</summary>
/// <param name="ContainerId">The container that ran the attempt, when one was created.</param>
/// <param name="ExitCode">The exit code, when the process exited.</param>
/// <param name="Error">Why the attempt did not produce an exit code (e.g. the image could not be pulled).</param>
/// <param name="StdoutTail">The end of standard output.</param>
/// <param name="StderrTail">The end of standard error.</param>
/// <param name="LogsTruncated">Whether the logs were longer than the tails.</param>
/// <param name="FinishedAt">When the attempt ended.</param>
public sealed record AttemptOutcome(
    string? ContainerId,
    long? ExitCode,
    string? Error,
    string StdoutTail,
    string StderrTail,
    bool LogsTruncated,
    DateTimeOffset FinishedAt)
{
    /// <summary>True when the process exited with code 0 and nothing else went wrong.</summary>
    public bool Succeeded => Error is null && ExitCode == 0;
}

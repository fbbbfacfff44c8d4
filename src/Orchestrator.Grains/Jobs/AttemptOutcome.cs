using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>What one attempt produced, whatever the process kind: an exit code, or an error that prevented one.</summary>
/// <param name="Kind">How the attempt ended.</param>
/// <param name="ContainerId">The container that ran the attempt, when one was created.</param>
/// <param name="ExitCode">The exit code, when the process exited (also after a stop).</param>
/// <param name="Error">Why the attempt did not end by itself with an exit code (pull failure, engine error, timeout).</param>
/// <param name="StdoutTail">The end of standard output.</param>
/// <param name="StderrTail">The end of standard error.</param>
/// <param name="LogsTruncated">Whether the logs were longer than the tails.</param>
/// <param name="FinishedAt">When the attempt ended.</param>
public sealed record AttemptOutcome(
    RunOutcome Kind,
    string? ContainerId,
    long? ExitCode,
    string? Error,
    string StdoutTail,
    string StderrTail,
    bool LogsTruncated,
    DateTimeOffset FinishedAt);

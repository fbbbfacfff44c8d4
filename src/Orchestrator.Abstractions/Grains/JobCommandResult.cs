using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// The answer to a command on a job (cancel, retry): whether it was carried out, why not when it was not, and the
/// job as it stands afterwards.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.job-command-result")]
public sealed record JobCommandResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string Message,
    [property: Id(2)] JobSummary? Job)
{
    /// <summary>The command was carried out.</summary>
    public static JobCommandResult Done(string message, JobState job) => new(true, message, JobSummary.Of(job));

    /// <summary>The command was refused; <paramref name="job"/> is null when no job has the id.</summary>
    public static JobCommandResult Refused(string message, JobState? job) => new(false, message, job is null ? null : JobSummary.Of(job));
}

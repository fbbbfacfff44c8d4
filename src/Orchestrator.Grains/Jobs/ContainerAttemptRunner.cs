using System.Text;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Processes;

namespace Orchestrator.Grains.Jobs;

/// <summary>Runs a job's attempt as a container: the job's event document goes in, the run's outcome comes out.</summary>
public sealed class ContainerAttemptRunner(IContainerRunner runner) : IAttemptRunner
{
    /// <inheritdoc />
    public async Task<AttemptOutcome> RunAsync(JobState job, ContainerProcessDefinition process, bool adopt, CancellationToken cancellationToken)
    {
        var request = Request(job, process);
        var result = adopt
            ? await runner.ResumeAsync(request, cancellationToken)
            : await runner.RunAsync(request, cancellationToken);
        return new AttemptOutcome(
            Kind(result.Outcome),
            result.ContainerId,
            result.ExitCode,
            result.Error,
            result.StdoutTail,
            result.StderrTail,
            result.LogsTruncated,
            result.FinishedAt);
    }

    /// <inheritdoc />
    public Task<bool> StopAsync(JobState job, ContainerProcessDefinition process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(process);
        return runner.StopAsync(job.JobId, job.Attempts, TimeSpan.FromSeconds(process.StopGraceSeconds), cancellationToken);
    }

    /// <inheritdoc />
    public Task CleanUpAsync(JobState job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Attempts == 0 ? Task.CompletedTask : runner.RemoveAsync(job.JobId, job.Attempts, cancellationToken);
    }

    private static ContainerRunRequest Request(JobState job, ContainerProcessDefinition process)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(process);
        var run = job.Runs[^1];
        var document = Encoding.UTF8.GetString(EventDocument.Write(job.RunEvent!, job.JobId, job.LinkId, run.Attempt));
        return new ContainerRunRequest(job.JobId, run.Attempt, job.LinkId, process.Id, process, document)
        {
            Deadline = process.TimeoutSeconds is { } timeout ? run.StartedAt + TimeSpan.FromSeconds(timeout) : null,
            StopGrace = TimeSpan.FromSeconds(process.StopGraceSeconds),
        };
    }

    private static RunOutcome Kind(ContainerRunOutcome outcome) => outcome switch
    {
        ContainerRunOutcome.Exited => RunOutcome.Exited,
        ContainerRunOutcome.TimedOut => RunOutcome.TimedOut,
        ContainerRunOutcome.PullFailed => RunOutcome.PullFailed,
        ContainerRunOutcome.StartFailed => RunOutcome.StartFailed,
        ContainerRunOutcome.EngineError => RunOutcome.EngineError,
        ContainerRunOutcome.EngineUnavailable => RunOutcome.EngineUnavailable,
        _ => RunOutcome.Vanished,
    };
}

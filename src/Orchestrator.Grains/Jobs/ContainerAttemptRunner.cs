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
    public async Task<AttemptOutcome> RunAsync(JobState job, ContainerProcessDefinition process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(process);
        var attempt = job.Runs[^1].Attempt;
        var document = Encoding.UTF8.GetString(EventDocument.Write(job.Event!, job.JobId, job.LinkId, attempt));
        var result = await runner.RunAsync(
            new ContainerRunRequest(job.JobId, attempt, job.LinkId, process.Id, process, document),
            cancellationToken);
        return new AttemptOutcome(
            result.ContainerId,
            result.ExitCode,
            result.Error,
            result.StdoutTail,
            result.StderrTail,
            result.LogsTruncated,
            result.FinishedAt);
    }
}

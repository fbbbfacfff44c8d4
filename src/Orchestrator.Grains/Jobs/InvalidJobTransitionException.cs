using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>A job was asked to move to a status its current status does not allow.</summary>
[GenerateSerializer]
[Alias("orchestrator.invalid-job-transition-exception")]
public sealed class InvalidJobTransitionException : Exception
{
    /// <summary>Creates the exception for a job in <paramref name="from"/> asked to enter <paramref name="to"/>.</summary>
    public InvalidJobTransitionException(string jobId, JobStatus from, JobStatus to)
        : base($"Job '{jobId}' is {from} and cannot become {to}.")
    {
        JobId = jobId;
        From = from;
        To = to;
    }

    /// <summary>The job.</summary>
    [Id(0)] public string JobId { get; }

    /// <summary>Its status when asked.</summary>
    [Id(1)] public JobStatus From { get; }

    /// <summary>The status it was asked to enter.</summary>
    [Id(2)] public JobStatus To { get; }
}

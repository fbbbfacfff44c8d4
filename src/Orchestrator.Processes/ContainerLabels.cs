namespace Orchestrator.Processes;

/// <summary>The labels every container Orchestrator creates carries: who made it, for which job and attempt.</summary>
public static class ContainerLabels
{
    /// <summary>"true" on every container Orchestrator created.</summary>
    public const string Managed = "orchestrator.managed";

    /// <summary>The deployment (<see cref="ContainerEngineOptions.Scope"/>) that made the container.</summary>
    public const string Scope = "orchestrator.scope";

    /// <summary>The job's id.</summary>
    public const string JobId = "orchestrator.job-id";

    /// <summary>The attempt number.</summary>
    public const string Attempt = "orchestrator.attempt";

    /// <summary>The link that made the job.</summary>
    public const string LinkId = "orchestrator.link-id";

    /// <summary>The process the container runs.</summary>
    public const string ProcessId = "orchestrator.process-id";
}

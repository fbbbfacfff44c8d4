namespace Orchestrator.Processes;

/// <summary>The environment variables Orchestrator sets in every container it runs; a process cannot override them.</summary>
public static class ContainerEnvironment
{
    /// <summary>The job's id.</summary>
    public const string JobId = "ORCHESTRATOR_JOB_ID";

    /// <summary>The attempt number, from 1.</summary>
    public const string Attempt = "ORCHESTRATOR_ATTEMPT";

    /// <summary>The link that made the job.</summary>
    public const string LinkId = "ORCHESTRATOR_LINK_ID";

    /// <summary>The process the container runs.</summary>
    public const string ProcessId = "ORCHESTRATOR_PROCESS_ID";

    /// <summary>The path of the event document inside the container; always set, the file always exists.</summary>
    public const string EventFile = "ORCHESTRATOR_EVENT_FILE";

    /// <summary>The event document itself; set only when it fits the configured limit.</summary>
    public const string Event = "ORCHESTRATOR_EVENT";

    /// <summary>True for the names above.</summary>
    public static bool IsReserved(string name) =>
        name is JobId or Attempt or LinkId or ProcessId or EventFile or Event;
}

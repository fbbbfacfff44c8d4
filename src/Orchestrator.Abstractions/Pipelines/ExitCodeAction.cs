namespace Orchestrator.Abstractions.Pipelines;

/// <summary>What an exit code listed in a process's exit-code map means.</summary>
public static class ExitCodeAction
{
    /// <summary>The job succeeded.</summary>
    public const string Success = "success";

    /// <summary>The attempt failed and is retried while attempts remain (whatever the policy says of exit codes).</summary>
    public const string Retry = "retry";

    /// <summary>The job is discarded at once, without retrying.</summary>
    public const string Discard = "discard";

    /// <summary>Every action a map may name.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Success, Retry, Discard };
}

using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Grains.Gates;

/// <summary>
/// The cluster-wide slot count of one process (one activation per process id). Kept alive while the silo runs:
/// its holders may run for hours without calling it.
/// </summary>
[KeepAlive]
public sealed partial class ProcessGateGrain(ILogger<ProcessGateGrain> logger) : Grain, IProcessGateGrain
{
    private ProcessGate? _gate;

    /// <inheritdoc />
    public Task<bool> TryAcquireAsync(string jobId, GateTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        _gate ??= new ProcessGate(Math.Max(1, ticket.Limit));
        StartOthers(_gate.Enqueue(jobId, ticket), jobId);
        return Task.FromResult(_gate.Holds(jobId));
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string jobId)
    {
        if (_gate is not null)
        {
            StartOthers(_gate.Release(jobId), jobId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<GateSnapshot> GetSnapshotAsync() => Task.FromResult(
        _gate is null ? new GateSnapshot(0, 0, 0, 0) : new GateSnapshot(_gate.Limit, _gate.Running, _gate.Waiting, _gate.MaxRunningSeen));

    private void StartOthers(IReadOnlyList<string> admitted, string caller)
    {
        foreach (var jobId in admitted.Where(id => !string.Equals(id, caller, StringComparison.Ordinal)))
        {
            LogAdmitted(logger, jobId, this.GetPrimaryKeyString());
            GrainFactory.GetGrain<IJobGrain>(jobId).StartAsync().Ignore();
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Job {JobId} admitted by the gate of process {ProcessId}")]
    private static partial void LogAdmitted(ILogger logger, string jobId, string processId);
}

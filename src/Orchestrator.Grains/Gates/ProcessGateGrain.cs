using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Grains.Gates;

/// <summary>
/// The cluster-wide slot count of one process (one activation per process id), in memory. Kept alive while the
/// silo runs. Running jobs renew their holds while they run, so a gate re-activated after a crash learns its
/// holders back within one renewal period, and holds of jobs lost with a silo expire.
/// </summary>
[KeepAlive]
public sealed partial class ProcessGateGrain(TimeProvider clock, ILogger<ProcessGateGrain> logger) : Grain, IProcessGateGrain
{
    /// <summary>How long a hold lasts without renewal; running jobs renew every <see cref="RenewalPeriod"/>.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>How often a running job renews its hold.</summary>
    public static readonly TimeSpan RenewalPeriod = TimeSpan.FromMinutes(1);

    private ProcessGate? _gate;

    /// <inheritdoc />
    public Task<bool> TryAcquireAsync(string jobId, GateTicket ticket)
    {
        var gate = GateFor(ticket);
        StartOthers(gate.Enqueue(jobId, ticket, clock.GetUtcNow()), jobId);
        return Task.FromResult(gate.Holds(jobId));
    }

    /// <inheritdoc />
    public Task HoldAsync(string jobId, GateTicket ticket)
    {
        StartOthers(GateFor(ticket).Hold(jobId, ticket, clock.GetUtcNow()), jobId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string jobId)
    {
        if (_gate is not null)
        {
            StartOthers(_gate.Release(jobId, clock.GetUtcNow()), jobId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<GateSnapshot> GetSnapshotAsync() => Task.FromResult(
        _gate is null ? new GateSnapshot(0, 0, 0, 0) : new GateSnapshot(_gate.Limit, _gate.Running, _gate.Waiting, _gate.MaxRunningSeen));

    private ProcessGate GateFor(GateTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return _gate ??= new ProcessGate(Math.Max(1, ticket.Limit), Lease);
    }

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

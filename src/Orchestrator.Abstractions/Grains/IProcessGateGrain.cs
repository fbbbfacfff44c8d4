namespace Orchestrator.Abstractions.Grains;

/// <summary>
/// The cluster-wide concurrency limit of one process, keyed by the process id. Jobs ask for a slot; those that do
/// not get one wait in event order and are started (<see cref="IJobGrain.StartAsync"/>) as slots free.
/// </summary>
public interface IProcessGateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Asks for a slot for <paramref name="jobId"/>. True: the job holds a slot and may start now. False: the job
    /// is queued and will be started when a slot frees. Asking again for a job that holds a slot returns true.
    /// </summary>
    Task<bool> TryAcquireAsync(string jobId, GateTicket ticket);

    /// <summary>
    /// Records that <paramref name="jobId"/> runs and holds a slot, even past the limit: a job adopting its container
    /// after a crash, or a running job renewing its hold. Holds not renewed within the gate's lease expire, so the
    /// slots of jobs lost with a silo come back.
    /// </summary>
    Task HoldAsync(string jobId, GateTicket ticket);

    /// <summary>Gives back the slot of <paramref name="jobId"/> (or removes it from the queue).</summary>
    Task ReleaseAsync(string jobId);

    /// <summary>How many jobs run and wait now.</summary>
    [AlwaysInterleave]
    Task<GateSnapshot> GetSnapshotAsync();
}

/// <summary>Where a job queues: older events first.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.gate-ticket")]
public sealed record GateTicket(
    [property: Id(0)] int Limit,
    [property: Id(1)] DateTimeOffset CapturedAt,
    [property: Id(2)] long EventId);

/// <summary>The occupancy of a process's gate.</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.gate-snapshot")]
public sealed record GateSnapshot(
    [property: Id(0)] int Limit,
    [property: Id(1)] int Running,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int MaxRunningSeen);

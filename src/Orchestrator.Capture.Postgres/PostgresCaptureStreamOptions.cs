namespace Orchestrator.Capture.Postgres;

/// <summary>Options of the Postgres capture stream provider. Nothing here is secret: the databases come from <see cref="ICaptureTopology"/>.</summary>
public sealed class PostgresCaptureStreamOptions
{
    /// <summary>
    /// How many queues the event log is split into. Must equal the installer's queue count, be the same on every
    /// silo and client, and stay stable (changing it remaps streams).
    /// </summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>How long a read event stays invisible to other readers before it is read again unless acknowledged.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle queue is read although no notification came (the safety net of LISTEN).</summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most events one read takes (also bounded by what the pulling agent's cache accepts).</summary>
    public int MaxReadCount { get; set; } = 1000;

    /// <summary>
    /// The most events one queue's receiver holds leased and unacknowledged; it stops reading until acknowledgements
    /// bring it below. Keep it small enough that the held events are delivered well within <see cref="LeaseDuration"/>.
    /// </summary>
    public int MaxPendingEvents { get; set; } = 2000;
}

namespace Orchestrator.Capture.Postgres;

/// <summary>Options of the Postgres capture stream provider.</summary>
public sealed class PostgresCaptureStreamOptions
{
    /// <summary>How many queues the event log is split into; the same on every silo, and stable.</summary>
    public int QueueCount { get; set; } = 4;

    /// <summary>How long a read event stays invisible to other readers before it is read again.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle queue is read although no notification came (the safety net of LISTEN).</summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most events read from one database in one pass.</summary>
    public int MaxReadCount { get; set; } = 1000;

    /// <summary>Throws when a value is out of range, naming the provider and the property.</summary>
    public void Validate(string providerName)
    {
        void Require(bool ok, string property, string rule)
        {
            if (!ok)
            {
                throw new ArgumentException($"{nameof(PostgresCaptureStreamOptions)}.{property} of stream provider '{providerName}' {rule}.");
            }
        }

        Require(QueueCount >= 1, nameof(QueueCount), "must be at least 1");
        Require(LeaseDuration >= TimeSpan.FromSeconds(1), nameof(LeaseDuration), "must be at least one second");
        Require(FallbackPollInterval > TimeSpan.Zero, nameof(FallbackPollInterval), "must be positive");
        Require(MaxReadCount >= 1, nameof(MaxReadCount), "must be at least 1");
    }
}

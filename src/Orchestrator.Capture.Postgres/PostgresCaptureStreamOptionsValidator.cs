namespace Orchestrator.Capture.Postgres;

/// <summary>Validates <see cref="PostgresCaptureStreamOptions"/> at silo or client start.</summary>
/// <param name="options">The provider's options.</param>
/// <param name="name">The provider's name.</param>
public sealed class PostgresCaptureStreamOptionsValidator(PostgresCaptureStreamOptions options, string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.QueueCount >= 1, nameof(options.QueueCount), "must be at least 1");
        Require(options.LeaseDuration >= TimeSpan.FromSeconds(1), nameof(options.LeaseDuration), "must be at least one second");
        Require(options.FallbackPollInterval > TimeSpan.Zero, nameof(options.FallbackPollInterval), "must be positive");
        Require(options.MaxReadCount >= 1, nameof(options.MaxReadCount), "must be at least 1");
        Require(options.MaxPendingEvents >= 1, nameof(options.MaxPendingEvents), "must be at least 1");
    }

    private void Require(bool valid, string property, string rule)
    {
        if (!valid)
        {
            throw new OrleansConfigurationException(
                $"Invalid {nameof(PostgresCaptureStreamOptions)} of stream provider '{name}': {property} {rule}.");
        }
    }
}

namespace Orchestrator.Grains.Jobs;

/// <summary>How jobs keep themselves going across crashes.</summary>
public sealed class JobOptions
{
    /// <summary>
    /// The period of the durable reminder every unfinished job holds. When a silo dies, its jobs are re-activated on
    /// the next tick (by a restarted silo or another one) and carry on: re-queue for a slot, wait for their retry,
    /// or adopt their running container. At least Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

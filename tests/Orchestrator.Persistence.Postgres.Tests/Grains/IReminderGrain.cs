namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A grain that registers durable reminders.</summary>
public interface IReminderGrain : IGrainWithStringKey
{
    /// <summary>Registers (or updates) a reminder first due after <paramref name="dueTime"/>.</summary>
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Whether the reminder service knows a reminder of this grain by that name.</summary>
    Task<bool> HasReminderAsync(string name);
}

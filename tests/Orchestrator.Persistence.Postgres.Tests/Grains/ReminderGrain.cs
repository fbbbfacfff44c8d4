namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>Registers reminders; their ticks do nothing.</summary>
public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    /// <inheritdoc />
    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    /// <inheritdoc />
    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}

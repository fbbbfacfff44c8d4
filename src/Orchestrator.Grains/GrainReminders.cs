namespace Orchestrator.Grains;

/// <summary>Reminder steps the grains share.</summary>
internal static class GrainReminders
{
    /// <summary>Unregisters <paramref name="grain"/>'s reminder <paramref name="name"/>, if it has one.</summary>
    public static async Task UnregisterReminderIfAnyAsync(this IGrainBase grain, string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}

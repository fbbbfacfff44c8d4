using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Persistence.Postgres.Tests.Grains;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Orleans' ADO.NET reminder table on our schema.</summary>
[Collection(StorageClusterGroup.Name)]
public sealed class ReminderTests(StorageCluster cluster)
{
    [Fact]
    public async Task A_reminder_a_grain_registers_is_in_the_reminder_table()
    {
        var grain = cluster.Client.GetGrain<IReminderGrain>(StorageCluster.NewKey("reminder"));
        await grain.RegisterAsync("retry", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2));

        var row = await cluster.Silo.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), "retry");
        var stored = await cluster.Database.ScalarAsync<long>(
            "SELECT period FROM orleans.orleansreminderstable WHERE grainid = $1 AND remindername = 'retry'",
            grain.GetGrainId().ToString());

        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal((long)TimeSpan.FromMinutes(2).TotalMilliseconds, stored);
        Assert.True(await grain.HasReminderAsync("retry"));
    }

    [Fact]
    public async Task Reminders_are_updated_read_by_grain_and_hash_range_and_removed_by_etag()
    {
        var table = cluster.Silo.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("test", StorageCluster.NewKey("reminder"));
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "retry", StartAt = start, Period = TimeSpan.FromMinutes(2) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "retry", StartAt = start, Period = TimeSpan.FromMinutes(3) });

        var row = await table.ReadRow(grain, "retry") ?? throw new InvalidOperationException("the reminder was not stored");
        var wholeRing = await table.ReadRows(0, uint.MaxValue);
        var hash = grain.GetUniformHashCode();
        var justThisGrain = await table.ReadRows(hash - 1, hash);

        Assert.NotEqual(first, second);
        Assert.Equal((TimeSpan.FromMinutes(3), start, second), (row.Period, row.StartAt.ToUniversalTime(), row.ETag));
        Assert.Contains(wholeRing.Reminders, r => r.GrainId == grain);
        Assert.Contains(justThisGrain.Reminders, r => r.GrainId == grain);
        Assert.False(await table.RemoveRow(grain, "retry", first!));
        Assert.True(await table.RemoveRow(grain, "retry", second!));
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }
}

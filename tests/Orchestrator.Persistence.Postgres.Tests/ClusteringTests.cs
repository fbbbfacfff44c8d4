using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Persistence.Postgres.Tests.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>Orleans' ADO.NET clustering on our schema, with real silo and client hosts.</summary>
public sealed class ClusteringTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;

    private readonly List<IHost> _hosts = [];
    private PostgresDatabase? _database;

    private PostgresDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(nameof(ClusteringTests));
        await OrleansPostgresSchema.InstallAsync(_database.DataSource);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_reaches_a_silo_through_the_table_and_a_stopped_silo_is_marked_dead()
    {
        var clusterId = ClusterId();
        var silo = await StartAsync(PostgresClusterHosts.Silo(Database.ConnectionString, clusterId));
        var client = await StartAsync(PostgresClusterHosts.Client(Database.ConnectionString, clusterId));

        var answer = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IEchoGrain>("echo").EchoAsync("ping");
        var whileRunning = await StatusesAsync(clusterId);
        await silo.StopAsync();
        var afterStop = await StatusesAsync(clusterId);

        Assert.StartsWith("ping@", answer, StringComparison.Ordinal);
        Assert.Equal([Active], whileRunning);
        Assert.Equal([Dead], afterStop);
    }

    [Fact]
    public async Task Two_silos_join_one_cluster_and_a_dead_one_is_removed_once_its_last_suspicion_is_past()
    {
        var clusterId = ClusterId();
        var first = await StartAsync(PostgresClusterHosts.Silo(Database.ConnectionString, clusterId));
        var second = await StartAsync(PostgresClusterHosts.Silo(Database.ConnectionString, clusterId));
        var membership = first.Services.GetRequiredService<IMembershipTable>();
        var voter = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var leaver = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        var bothActive = await Eventually.WaitAsync(() => StatusesAsync(clusterId), s => s.SequenceEqual([Active, Active]), "two active silos");
        var seenByFirst = await Eventually.WaitAsync(
            async () => (await membership.ReadAllAsync()).Members.Count(m => m.Item1.Status == SiloStatus.Active),
            n => n == 2, "the first silo's view of two active silos");
        await second.StopAsync();
        var afterStop = await StatusesAsync(clusterId);

        // A suspicion vote newer than the cut-off keeps the dead row; Orleans 10.4 checks that before it deletes
        // the row by its captured values (CleanupDefunctSiloEntryKey). The bulk query alone would delete it.
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(1);
        var vote = $"{voter.ToParsableString()},{LogFormatter.PrintDate(cutoff.UtcDateTime.AddMinutes(1))}";
        await Database.ExecuteAsync(
            "UPDATE orleans.orleansmembershiptable SET suspecttimes = $1 WHERE deploymentid = $2 AND port = $3",
            vote, clusterId, leaver.Endpoint.Port);
        await membership.CleanupDefunctSiloEntriesAsync(cutoff);
        var afterEarlyCleanup = await StatusesAsync(clusterId);
        await membership.CleanupDefunctSiloEntriesAsync(cutoff.AddMinutes(2));
        var afterCleanup = await StatusesAsync(clusterId);

        Assert.Equal(2, bothActive.Count);
        Assert.Equal(2, seenByFirst);
        Assert.Equal([Active, Dead], afterStop);
        Assert.Equal([Active, Dead], afterEarlyCleanup);
        Assert.Equal([Active], afterCleanup);
    }

    [Fact]
    public async Task Membership_writes_on_a_stale_version_or_a_missing_row_change_nothing()
    {
        var silo = await StartAsync(PostgresClusterHosts.Silo(Database.ConnectionString, ClusterId()));
        var table = silo.Services.GetRequiredService<IMembershipTable>();
        var read = await table.ReadAllAsync();
        var version = read.Version;
        var own = read.Members.Single().Item1;
        var stale = new TableVersion(version.Version - 1, (version.Version - 1).ToString(CultureInfo.InvariantCulture));
        var ghost = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 1, 1), Status = SiloStatus.Active, HostName = "ghost",
            SiloName = "ghost", StartTime = DateTime.UtcNow, IAmAliveTime = DateTime.UtcNow,
        };

        var duplicateInsert = await table.InsertRowAsync(own, version.Next());
        var staleUpdate = await table.UpdateRowAsync(own, stale.VersionEtag, stale.Next());
        var missingRowUpdate = await table.UpdateRowAsync(ghost, version.VersionEtag, version.Next());
        var unchanged = (await table.ReadAllAsync()).Version.Version;
        var currentUpdate = await table.UpdateRowAsync(own, version.VersionEtag, version.Next());
        var moved = (await table.ReadAllAsync()).Version.Version;

        Assert.Equal((false, false, false), (duplicateInsert, staleUpdate, missingRowUpdate));
        Assert.Equal(version.Version, unchanged);
        Assert.True(currentUpdate);
        Assert.Equal(version.Version + 1, moved);
    }

    private static string ClusterId() => "c-" + Guid.NewGuid().ToString("N");

    private async Task<IHost> StartAsync(IHost host)
    {
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private async Task<List<int>> StatusesAsync(string clusterId)
    {
        var statuses = new List<int>();
        await using var command = Database.DataSource.CreateCommand(
            "SELECT status FROM orleans.orleansmembershiptable WHERE deploymentid = $1 ORDER BY status");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>
/// Real silo and client hosts that find each other only through the membership table: TCP on loopback, free
/// ports, no test membership.
/// </summary>
internal static class PostgresClusterHosts
{
    /// <summary>Builds (does not start) a silo host of <paramref name="clusterId"/>.</summary>
    public static IHost Silo(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort());
            silo.UsePostgresClustering(connectionString);
        });
        return builder.Build();
    }

    /// <summary>Builds (does not start) a client host of <paramref name="clusterId"/>.</summary>
    public static IHost Client(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.UsePostgresClustering(connectionString);
        });
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

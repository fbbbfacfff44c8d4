using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Orchestrator.Cli;

/// <summary>An Orleans client connected to a running cluster through its Postgres membership table.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    public static async Task<ClusterConnection> OpenAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Error);
        // A failed start is reported once, as the CLI's own message, not also as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                // Orleans' tables live in the "orleans" schema (see Orchestrator.Persistence.Postgres.OrleansPostgresSchema).
                o.ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString) { SearchPath = "orleans" }.ConnectionString;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new CliException($"Cannot reach the cluster '{settings.ClusterId}': {e.Message.TrimEnd('.')}. Check --connection-string (or ${CliApp.ConnectionVariable}) and that a silo runs.");
        }

        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>Where the cluster is: its database and ids.</summary>
internal sealed record ConnectionSettings(string ConnectionString, string ClusterId, string ServiceId);

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orchestrator.Capture.Postgres;

/// <summary>One source database as a silo reads it: a pooled data source for the queue statements and the LISTEN connection.</summary>
internal sealed class CaptureDatabase : IAsyncDisposable
{
    /// <summary>The application name of the pooled connections, unless the connection string sets one.</summary>
    public const string ApplicationName = "orchestrator-capture";

    private readonly NpgsqlDataSource _dataSource;

    public CaptureDatabase(CaptureSource source, int queueCount, ILoggerFactory loggerFactory)
    {
        Source = source;
        var builder = new NpgsqlDataSourceBuilder(source.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= ApplicationName;
        _dataSource = builder.Build();
        Store = new EventLogStore(_dataSource);
        Listener = new CaptureListener(source, queueCount, loggerFactory.CreateLogger<CaptureListener>());
    }

    public CaptureSource Source { get; }

    public EventLogStore Store { get; }

    public CaptureListener Listener { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}

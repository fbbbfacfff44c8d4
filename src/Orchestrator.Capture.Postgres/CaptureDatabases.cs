using Microsoft.Extensions.Logging;

namespace Orchestrator.Capture.Postgres;

/// <summary>The source databases of one stream provider on one silo, shared by its receivers.</summary>
internal sealed class CaptureDatabases : IAsyncDisposable
{
    public CaptureDatabases(ICaptureTopology topology, int queueCount, ILoggerFactory loggerFactory)
    {
        Topology = topology;
        All = topology.Sources.Select(s => new CaptureDatabase(s, queueCount, loggerFactory)).ToList();
    }

    public ICaptureTopology Topology { get; }

    /// <summary>The databases, in the order of <see cref="ICaptureTopology.Sources"/>.</summary>
    public IReadOnlyList<CaptureDatabase> All { get; }

    /// <summary>Starts every database's listener (later calls do nothing).</summary>
    public void StartListening()
    {
        foreach (var database in All)
        {
            database.Listener.Start();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var database in All)
        {
            await database.DisposeAsync();
        }
    }
}

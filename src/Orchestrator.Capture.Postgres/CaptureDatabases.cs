using Microsoft.Extensions.Logging;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// The source databases of one stream provider on one silo, shared by its receivers. A database an input added at run
/// time names is opened (and listened to, once listening started) the first time <see cref="All"/> is read after it.
/// </summary>
internal sealed class CaptureDatabases : IAsyncDisposable
{
    private readonly int _queueCount;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Lock _lock = new();
    private volatile IReadOnlyList<CaptureDatabase> _all = [];
    private bool _listening;

    public CaptureDatabases(ICaptureTopology topology, int queueCount, ILoggerFactory loggerFactory)
    {
        Topology = topology;
        _queueCount = queueCount;
        _loggerFactory = loggerFactory;
    }

    public ICaptureTopology Topology { get; }

    /// <summary>The databases, in the order of <see cref="ICaptureTopology.Sources"/> (a source's index never changes).</summary>
    public IReadOnlyList<CaptureDatabase> All
    {
        get
        {
            var sources = Topology.Sources;
            var all = _all;
            return all.Count == sources.Count ? all : Grow(sources);
        }
    }

    /// <summary>Starts every database's listener, and those of databases added later (later calls do nothing).</summary>
    public void StartListening()
    {
        lock (_lock)
        {
            _listening = true;
        }

        foreach (var database in All)
        {
            database.Listener.Start();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var database in _all)
        {
            await database.DisposeAsync();
        }
    }

    private IReadOnlyList<CaptureDatabase> Grow(IReadOnlyList<CaptureSource> sources)
    {
        lock (_lock)
        {
            if (_all.Count < sources.Count)
            {
                var added = sources.Skip(_all.Count).Select(s => new CaptureDatabase(s, _queueCount, _loggerFactory)).ToList();
                _all = [.. _all, .. added];
                if (_listening)
                {
                    added.ForEach(d => d.Listener.Start());
                }
            }

            return _all;
        }
    }
}

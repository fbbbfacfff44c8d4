using System.Collections.Concurrent;
using Npgsql;

namespace Orchestrator.Capture.Postgres;

/// <summary>One data source per source database for this silo, shared by the receivers, disposed with the silo.</summary>
public sealed class CaptureDatabases : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, NpgsqlDataSource> _sources = new();

    internal EventLogStore StoreOf(CaptureSource source) =>
        new(_sources.GetOrAdd(source.Index, _ => NpgsqlDataSource.Create(source.ConnectionString)));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources.Values)
        {
            await source.DisposeAsync();
        }

        _sources.Clear();
    }
}

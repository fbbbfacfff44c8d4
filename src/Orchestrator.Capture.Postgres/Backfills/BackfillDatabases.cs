using System.Collections.Concurrent;
using Npgsql;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>One pooled data source per database that holds backfills, shared by the grain and the runner of a silo.</summary>
internal sealed class BackfillDatabases : IAsyncDisposable
{
    /// <summary>The application name of the pooled connections, unless the connection string sets one.</summary>
    public const string ApplicationName = "orchestrator-backfill";

    private readonly ConcurrentDictionary<string, Lazy<BackfillStore>> _stores = new(StringComparer.Ordinal);

    /// <summary>The store of the database <paramref name="connectionString"/> names.</summary>
    public BackfillStore For(string connectionString) =>
        _stores.GetOrAdd(connectionString, c => new Lazy<BackfillStore>(() =>
        {
            var builder = new NpgsqlDataSourceBuilder(c);
            builder.ConnectionStringBuilder.ApplicationName ??= ApplicationName;
            return new BackfillStore(builder.Build());
        })).Value;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
        {
            await store.Value.DataSource.DisposeAsync();
        }
    }
}

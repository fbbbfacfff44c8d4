using Npgsql;

namespace Orchestrator.JobStore.Postgres;

/// <summary>The job store's connections.</summary>
internal static class JobStoreDataSource
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/> that prepares the store's few statements
    /// automatically and keeps them across uses: the pool skips Npgsql's reset on return (<c>DISCARD ALL</c> would
    /// drop the prepared statements), which is safe because the store leaves no session state behind.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        builder.MaxAutoPrepare = Math.Max(builder.MaxAutoPrepare, 16);
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}

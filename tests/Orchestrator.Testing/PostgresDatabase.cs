using Npgsql;

namespace Orchestrator.Testing;

/// <summary>
/// A fresh database on the test server, named after the test that made it, dropped on dispose.
/// Tests isolate by database, so they can run in parallel.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private PostgresDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string to the database.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source for the database, disposed with it.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Creates a database whose name starts with <paramref name="prefix"/> (lower-cased, shortened).</summary>
    public static async Task<PostgresDatabase> CreateAsync(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        var name = $"t_{clean[..Math.Min(clean.Length, 26)]}_{Guid.NewGuid():N}";
        var server = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString) { Database = name };
        return new PostgresDatabase(server.ConnectionString, name, builder.ConnectionString);
    }

    /// <summary>Runs one SQL command and returns the number of rows it affected.</summary>
    public async Task<int> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one SQL query and returns its first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object?[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            // Only this database's pool: other tests of the process keep theirs.
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

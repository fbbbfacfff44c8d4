using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Orchestrator.Host.Configuration;
using Orchestrator.Processes;

namespace Orchestrator.Host.Health;

/// <summary>
/// Checks, every few seconds, that the job database and the container engine answer; logs when one stops or
/// starts answering and keeps the latest status for <c>/healthz</c>. The silo keeps running while either is away:
/// the capture listener, the storage calls and the retry policy recover once it is back.
/// </summary>
public sealed partial class DependencyMonitor(
    IOptions<OrchestratorHostOptions> options,
    DockerEngine engine,
    TimeProvider clock,
    ILogger<DependencyMonitor> logger) : BackgroundService
{
    /// <summary>How often the dependencies are checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, DependencyStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>The job database, reached with a short timeout and without the pool, so a check sees it as it is now.</summary>
    private readonly string _pingConnectionString = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString)
    {
        Timeout = (int)CheckTimeout.TotalSeconds,
        Pooling = false,
    }.ConnectionString;

    /// <summary>The latest status of each dependency; empty before the first check.</summary>
    public IReadOnlyList<DependencyStatus> Statuses => _statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    /// <summary>True when every dependency answered its last check.</summary>
    public bool Healthy => _statuses.Values.All(s => s.Reachable);

    /// <summary>Runs both checks once and records their outcome.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            CheckAsync("postgres", PingPostgresAsync, cancellationToken),
            CheckAsync("engine", engine.EnsureAvailableAsync, cancellationToken));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        do
        {
            await CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PingPostgresAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_pingConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)CheckTimeout.TotalSeconds };
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task CheckAsync(string name, Func<CancellationToken, Task> ping, CancellationToken cancellationToken)
    {
        string? error = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await ping(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or ContainerEngineUnavailableException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error = e is OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message;
        }

        var now = clock.GetUtcNow();
        var reachable = error is null;
        var previous = _statuses.GetValueOrDefault(name);
        var changed = previous is null || previous.Reachable != reachable;
        _statuses[name] = new DependencyStatus(name, reachable, changed ? now : previous!.Since, error);
        if (changed && !reachable)
        {
            LogUnreachable(logger, name, error!);
        }
        else if (changed && previous is not null)
        {
            LogBack(logger, name, now - previous.Since);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Health: {Dependency} is unreachable ({Error}); the silo keeps running and catches up when it is back")]
    private static partial void LogUnreachable(ILogger logger, string dependency, string error);

    [LoggerMessage(2, LogLevel.Information, "Health: {Dependency} is reachable again after {Outage}")]
    private static partial void LogBack(ILogger logger, string dependency, TimeSpan outage);
}

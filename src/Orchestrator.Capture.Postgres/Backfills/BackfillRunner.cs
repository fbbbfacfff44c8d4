using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// Runs on every silo and copies pages of the running backfills of every input's database, one page per
/// transaction; a silo that starts (after a crash too) takes up whatever is still running. Silos share the work
/// through row locks: a backfill whose page another silo is copying is skipped, never copied twice.
/// </summary>
internal sealed partial class BackfillRunner(BackfillService backfills, BackfillOptions options, ILogger<BackfillRunner> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            foreach (var store in backfills.Stores)
            {
                more |= await CopyPageAsync(store, stoppingToken);
            }

            if (!more)
            {
                try
                {
                    await backfills.WaitForStartAsync(options.IdlePollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> CopyPageAsync(BackfillStore store, CancellationToken stoppingToken)
    {
        try
        {
            var page = await BackfillPages.CopyNextAsync(store, options.QueueCount, options.MaxPendingEvents, stoppingToken);
            switch (page)
            {
                case null:
                    return false;
                case { Failure: { } failure }:
                    LogFailed(logger, page.Id, failure);
                    return true;
                case { More: false }:
                    LogDone(logger, page.Id, page.Copied);
                    return true;
                default:
                    LogPage(logger, page.Id, page.Copied);
                    return true;
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogPageError(logger, e);
            return false;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Backfill {Id} copied a page of {Count} rows")]
    private static partial void LogPage(ILogger logger, string id, int count);

    [LoggerMessage(2, LogLevel.Information, "Backfill {Id} is done (its last page had {Count} rows)")]
    private static partial void LogDone(ILogger logger, string id, int count);

    [LoggerMessage(3, LogLevel.Error, "Backfill {Id} failed: {Failure}")]
    private static partial void LogFailed(ILogger logger, string id, string failure);

    [LoggerMessage(4, LogLevel.Warning, "Copying a backfill page failed; nothing of it was committed, and it is tried again")]
    private static partial void LogPageError(ILogger logger, Exception exception);
}

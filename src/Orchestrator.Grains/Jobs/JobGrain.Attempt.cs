using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Grains.Gates;

namespace Orchestrator.Grains.Jobs;

/// <summary>The background half of the job grain: waiting for a slot, running or adopting an attempt, deciding what follows.</summary>
public sealed partial class JobGrain
{
    private SerialWork Background => _background ??= new SerialWork(
        () => _stale || _deactivating.IsCancellationRequested,
        e =>
        {
            if (e is OperationCanceledException && _deactivating.IsCancellationRequested)
            {
                LogInterrupted(logger, state.State.JobId);
            }
            else
            {
                LogBackgroundFailure(logger, e, state.State.JobId);
            }
        });

    private void StartInBackground(Func<Task> work) => Background.Start(work);

    private async Task AskForSlotAsync()
    {
        // Asked for while an earlier attempt ran, the job may have finished or be waiting for its retry time since;
        // a per-row job waits for its row's earlier jobs, and the one that releases the row wakes it.
        if (!DueToRun || await RowHeldAsync())
        {
            return;
        }

        // A process this silo does not know yet may have been added a moment ago on another silo.
        if (await FindProcessAsync() is not { } process)
        {
            await ProceedAsync();
            return;
        }

        var granted = await Gate().TryAcquireAsync(state.State.JobId, Ticket(process));

        // The gate may also have started us (StartAsync) while its answer was on its way.
        if (granted || _slotGranted)
        {
            await RunAttemptAsync(adopt: false);
        }
    }

    /// <summary>Starts the attempt the gate granted a slot for, unless that slot was released meanwhile.</summary>
    private Task RunGrantedAttemptAsync() => _slotGranted ? RunAttemptAsync(adopt: false) : Task.CompletedTask;

    /// <summary>
    /// Runs the next attempt, or (<paramref name="adopt"/>) waits for the one a previous activation started, then
    /// records its outcome and what follows. Cancellation by deactivation leaves the attempt running for the next
    /// activation to adopt.
    /// </summary>
    private async Task RunAttemptAsync(bool adopt)
    {
        var process = RequireProcess();
        if (!adopt && !await ChangeAsync(() => BeginAttemptAsync(process)))
        {
            return;
        }

        if (adopt)
        {
            LogAdopting(logger, state.State.JobId, state.State.Attempts);
            await Gate().HoldAsync(state.State.JobId, Ticket(process));
        }

        using var renewal = this.RegisterGrainTimer(
            _ => Gate().HoldAsync(state.State.JobId, Ticket(process)),
            new GrainTimerCreationOptions(ProcessGateGrain.RenewalPeriod, ProcessGateGrain.RenewalPeriod) { KeepAlive = true });
        var outcome = _cancelledBy is null || adopt
            ? await attempts.RunAsync(state.State, process, adopt, _deactivating.Token)
            : new AttemptOutcome(RunOutcome.Cancelled, null, null, "cancelled before its container started", "", "", false, clock.GetUtcNow());
        await ChangeAsync(async () =>
        {
            var verdict = Complete(outcome, process);
            await WriteOrReloadAsync();
            LogFinished(logger, state.State.JobId, state.State.Attempts, state.State.Status, state.State.Transitions[^1].Reason);
            await CleanUpAsync(process);
            await ReleaseSlotAsync();
            if (verdict?.RetryAt is { } retryAt)
            {
                ProceedAt(retryAt);
            }

            return true;
        });
        await ReleaseRowAsync();
    }

    /// <summary>Records the start of the next attempt; false (and the slot released) when the job is not due to run.</summary>
    private async Task<bool> BeginAttemptAsync(ContainerProcessDefinition process)
    {
        if (!DueToRun)
        {
            await ReleaseSlotAsync();
            return false;
        }

        var run = JobLifecycle.BeginAttempt(state.State, process.Image, clock.GetUtcNow());
        try
        {
            await WriteOrReloadAsync();
        }
        catch
        {
            // Nothing started: the slot goes to the next job; this one is carried on from its stored record.
            await ReleaseSlotAsync();
            throw;
        }

        LogStarted(logger, state.State.JobId, run.Attempt, process.Id);
        return true;
    }

    private AttemptVerdict? Complete(AttemptOutcome outcome, ContainerProcessDefinition process)
    {
        var job = state.State;
        if (_cancelledBy is { } requestedBy)
        {
            JobLifecycle.Cancel(job, requestedBy, clock.GetUtcNow(), outcome);
            LogCancelled(logger, job.JobId, requestedBy);
            return null;
        }

        var verdict = RetryDecider.Decide(
            outcome,
            graph.Current.RetryPolicyOf(job.LinkId, process),
            process.ExitCodes,
            JobLifecycle.AttemptsInBudget(job),
            clock.GetUtcNow(),
            Random.Shared.NextDouble());
        JobLifecycle.CompleteAttempt(job, outcome, verdict);
        return verdict;
    }

    /// <summary>
    /// Removes the recorded attempt's container unless its process (null: no longer declared) keeps containers;
    /// only after the record is written.
    /// </summary>
    private Task CleanUpAsync(ContainerProcessDefinition? process) =>
        process is { RemoveContainers: false } ? Task.CompletedTask : attempts.CleanUpAsync(state.State, CancellationToken.None);

    private Task ReleaseSlotAsync()
    {
        _slotGranted = false;
        return Gate().ReleaseAsync(state.State.JobId);
    }

    private IProcessGateGrain Gate() => GrainFactory.GetGrain<IProcessGateGrain>(state.State.ProcessId);

    private GateTicket Ticket(ContainerProcessDefinition process) =>
        new(process.MaxConcurrency, state.State.Event!.CapturedAt, state.State.Event.Id);

    private ContainerProcessDefinition RequireProcess() =>
        graph.Current.FindProcess(state.State.ProcessId)
        ?? throw new InvalidOperationException($"Job '{state.State.JobId}' runs process '{state.State.ProcessId}', which the pipeline graph does not declare.");

    /// <summary>The job's process; when the silo's graph lacks it, from the stored graph (null: it was removed).</summary>
    private async Task<ContainerProcessDefinition?> FindProcessAsync() =>
        (await graph.KnowingAsync(c => c.FindProcess(state.State.ProcessId) is not null)).FindProcess(state.State.ProcessId);

    [LoggerMessage(1, LogLevel.Debug, "Job {JobId} acknowledged for event {EventId}")]
    private static partial void LogAcknowledged(ILogger logger, string jobId, long eventId);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} attempt {Attempt} started on process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, string jobId, int attempt, string processId);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} attempt {Attempt} ended; the job is {Status}: {Reason}")]
    private static partial void LogFinished(ILogger logger, string jobId, int attempt, JobStatus status, string? reason);

    [LoggerMessage(4, LogLevel.Error, "Job {JobId}: its background work failed")]
    private static partial void LogBackgroundFailure(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId}: the activation was deactivated while the job ran; the next activation carries it on")]
    private static partial void LogInterrupted(ILogger logger, string jobId);

    [LoggerMessage(6, LogLevel.Information, "Job {JobId} cancelled by {RequestedBy}")]
    private static partial void LogCancelled(ILogger logger, string jobId, string requestedBy);

    [LoggerMessage(7, LogLevel.Information, "Job {JobId} retried by {RequestedBy}")]
    private static partial void LogRetried(ILogger logger, string jobId, string requestedBy);

    [LoggerMessage(9, LogLevel.Warning, "Job {JobId}: its container could not be stopped; the engine is unreachable")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(8, LogLevel.Information, "Job {JobId}: adopting attempt {Attempt}, started by an earlier activation")]
    private static partial void LogAdopting(ILogger logger, string jobId, int attempt);

    [LoggerMessage(10, LogLevel.Warning, "Job {JobId} failed: its process '{ProcessId}' is not in the pipeline graph")]
    private static partial void LogAbandoned(ILogger logger, string jobId, string processId);
}

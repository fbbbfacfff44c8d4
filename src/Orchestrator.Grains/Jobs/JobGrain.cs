using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// One job. <see cref="AcknowledgeAsync"/> persists the record and returns; the attempt runs in the background of
/// the activation (a container may run for hours, far past a grain call's timeout), each transition persisted.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", JobGrain.StorageName)] IPersistentState<JobState> state,
    PipelineCatalog catalog,
    IAttemptRunner attempts,
    TimeProvider clock,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IDisposable
{
    /// <summary>The grain storage that holds jobs and links.</summary>
    public const string StorageName = "orchestrator";

    private static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _deactivating = new();
    private Task? _attempt;
    private bool _slotGranted;

    /// <inheritdoc />
    public async Task<JobSummary> AcknowledgeAsync(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (JobLifecycle.Acknowledge(state.State, this.GetPrimaryKeyString(), request, clock.GetUtcNow()))
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Not persisted: forget it, so the redelivery that follows records the job instead of seeing it done.
                state.State = new JobState();
                throw;
            }

            LogAcknowledged(logger, state.State.JobId, request.Event.Id);
            StartInBackground(AskForSlotAsync);
        }

        return JobSummary.Of(state.State);
    }

    /// <inheritdoc />
    public Task StartAsync()
    {
        _slotGranted = true;
        if (state.State.Status == JobStatus.Awaiting)
        {
            StartInBackground(RunAttemptAsync);
            return Task.CompletedTask;
        }

        // A job that is not waiting must not hold the slot it was just given.
        return state.State.Status == JobStatus.Executing
            ? Task.CompletedTask
            : GrainFactory.GetGrain<IProcessGateGrain>(state.State.ProcessId).ReleaseAsync(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public Task<JobState?> GetStateAsync() => Task.FromResult(state.RecordExists ? state.State : null);

    /// <inheritdoc />
    public Task<JobSummary?> GetSummaryAsync() =>
        Task.FromResult(state.RecordExists ? JobSummary.Of(state.State) : null);

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _deactivating.Dispose();

    private void StartInBackground(Func<Task> work)
    {
        if (_attempt is { IsCompleted: false })
        {
            return;
        }

        _attempt = RunGuardedAsync(work);
    }

    private async Task RunGuardedAsync(Func<Task> work)
    {
        // Leave the caller's turn first: the work continues on this activation's scheduler.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
        try
        {
            await work();
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            LogInterrupted(logger, state.State.JobId);
        }
        catch (Exception e)
        {
            LogBackgroundFailure(logger, e, state.State.JobId);
        }
    }

    private async Task AskForSlotAsync()
    {
        var process = RequireProcess();
        var captured = state.State.Event!;
        var gate = GrainFactory.GetGrain<IProcessGateGrain>(process.Id);
        var granted = await gate.TryAcquireAsync(state.State.JobId, new GateTicket(process.MaxConcurrency, captured.CapturedAt, captured.Id));

        // The gate may also have started us (StartAsync) while its answer was on its way.
        if (granted || _slotGranted)
        {
            await RunAttemptAsync();
        }
    }

    private async Task RunAttemptAsync()
    {
        if (state.State.Status != JobStatus.Awaiting)
        {
            return;
        }

        var process = RequireProcess();
        using var keepAlive = this.RegisterGrainTimer(
            static _ => Task.CompletedTask,
            new GrainTimerCreationOptions(KeepAlivePeriod, KeepAlivePeriod) { KeepAlive = true });
        var run = JobLifecycle.BeginAttempt(state.State, process.Image, clock.GetUtcNow());
        try
        {
            await state.WriteStateAsync();
            LogStarted(logger, state.State.JobId, run.Attempt, process.Id);
            var outcome = await attempts.RunAsync(state.State, process, _deactivating.Token);
            JobLifecycle.CompleteAttempt(state.State, outcome);
            await state.WriteStateAsync();
            LogFinished(logger, state.State.JobId, run.Attempt, state.State.Status);
        }
        catch
        {
            // What is in memory may not be what is stored: the next activation starts from the stored record.
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            if (!_deactivating.IsCancellationRequested)
            {
                await GrainFactory.GetGrain<IProcessGateGrain>(process.Id).ReleaseAsync(state.State.JobId);
            }
        }
    }

    private ContainerProcessDefinition RequireProcess() =>
        catalog.FindProcess(state.State.ProcessId)
        ?? throw new InvalidOperationException($"Job '{state.State.JobId}' runs process '{state.State.ProcessId}', which the loaded pipelines do not declare.");

    [LoggerMessage(1, LogLevel.Debug, "Job {JobId} acknowledged for event {EventId}")]
    private static partial void LogAcknowledged(ILogger logger, string jobId, long eventId);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} attempt {Attempt} started on process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, string jobId, int attempt, string processId);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} attempt {Attempt} ended: {Status}")]
    private static partial void LogFinished(ILogger logger, string jobId, int attempt, JobStatus status);

    [LoggerMessage(4, LogLevel.Error, "Job {JobId}: its background work failed")]
    private static partial void LogBackgroundFailure(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId}: the activation was deactivated while the job ran")]
    private static partial void LogInterrupted(ILogger logger, string jobId);
}

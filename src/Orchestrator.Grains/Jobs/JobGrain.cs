using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.JobStore.Postgres;
using Orchestrator.Processes;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// One job. <see cref="AcknowledgeAsync"/> persists the record and returns; the attempts run in the background of
/// the activation (a container may run for hours, far past a grain call's timeout), each transition persisted.
/// Whichever silo activates an unfinished job next — the rescuer after a crash or restart (<see cref="JobRescuerGrain"/>),
/// the gate granting its slot — carries it on from its stored record (<see cref="ProceedAsync"/>). A retry's wait is a
/// grain timer; if the activation is lost meanwhile, the rescuer resumes the job, which waits out the rest.
/// Reminders are no longer used; an earlier version's reminder is removed on its first tick.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", JobGrain.StorageName)] IPersistentState<JobState> state,
    IPipelineGraph graph,
    IAttemptRunner attempts,
    RowJobs rows,
    TimeProvider clock,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable, IDisposable
{
    /// <summary>The grain storage that holds job records (<c>orchestrator.jobs</c>).</summary>
    public const string StorageName = "jobs";

    private static readonly TimeSpan StopRetryPeriod = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _deactivating = new();
    // Never disposed: it allocates no wait handle, and a change may still finish after the grain is disposed.
    private readonly SemaphoreSlim _changing = new(1, 1);
    private IGrainTimer? _retryTimer;
    private SerialWork? _background;
    private bool _slotGranted;
    private bool _stale;
    private string? _cancelledBy;

    private bool Unfinished => state.RecordExists && !JobLifecycle.IsTerminal(state.State.Status);

    /// <summary>True when the job waits for its next attempt and its retry time (if any) has come.</summary>
    private bool DueToRun => state.State.Status == JobStatus.Awaiting && !(state.State.RetryAt > clock.GetUtcNow());

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Unfinished)
        {
            StartInBackground(ProceedAsync);
        }

        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobSummary> AcknowledgeAsync(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeAsync(() => RecordAsync(request));
    }

    /// <summary>
    /// Records the job of <paramref name="request"/>, unless its record exists (a redelivery) or, on a coalescing
    /// link, a job of its row absorbs (or absorbed) the event.
    /// </summary>
    private async Task<JobSummary> RecordAsync(JobRequest request)
    {
        var link = (await graph.KnowingAsync(c => c.FindLink(request.LinkId) is not null)).FindLink(request.LinkId);
        if (state.State.Transitions.Count == 0 && RowOrder.Coalesces(link, request) && await AbsorbedByAsync(request) is { } absorbing)
        {
            return absorbing;
        }

        if (!JobLifecycle.Acknowledge(state.State, this.GetPrimaryKeyString(), request, clock.GetUtcNow(), RowOrder.RowKeyFor(link, request)))
        {
            return JobSummary.Of(state.State);
        }

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
        return JobSummary.Of(state.State);
    }

    /// <inheritdoc />
    public Task StartAsync()
    {
        _slotGranted = true;
        if (DueToRun)
        {
            StartInBackground(RunGrantedAttemptAsync);
            return Task.CompletedTask;
        }

        // A job that is not waiting must not hold the slot it was just given.
        return state.State.Status == JobStatus.Executing ? Task.CompletedTask : ReleaseSlotAsync();
    }

    /// <inheritdoc />
    public async Task<JobCommandResult> CancelAsync(string requestedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var answer = await ChangeAsync(async () =>
        {
            if (!state.RecordExists || state.State.Status is JobStatus.Succeeded or JobStatus.Discarded)
            {
                return Refused("cancel");
            }

            _cancelledBy = requestedBy;
            if (state.State.Status == JobStatus.Executing)
            {
                return null;
            }

            JobLifecycle.Cancel(state.State, requestedBy, clock.GetUtcNow(), outcome: null);
            await WriteOrReloadAsync();
            LogCancelled(logger, state.State.JobId, requestedBy);
            CancelRetryTimer();
            await ReleaseSlotAsync();
            await ReleaseRowAsync();
            return JobCommandResult.Done("cancelled before it ran", state.State);
        });
        return answer ?? await StopRunningAttemptAsync();
    }

    /// <inheritdoc />
    public Task<JobState?> GetStateAsync() => Task.FromResult(state.RecordExists ? state.State : null);

    /// <inheritdoc />
    public Task<JobSummary?> GetSummaryAsync() =>
        Task.FromResult(state.RecordExists ? JobSummary.Of(state.State) : null);

    /// <inheritdoc />
    public Task ResumeAsync()
    {
        StartInBackground(ProceedAsync);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A tick of the reminder an earlier version registered for every unfinished job: it is removed (the rescuer
    /// does its work now) and the job carried on.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await this.UnregisterReminderIfAnyAsync(reminderName);
        StartInBackground(ProceedAsync);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _deactivating.Dispose();

    private JobCommandResult Refused(string command) => state.RecordExists
        ? JobCommandResult.Refused($"cannot {command} a job that is {state.State.Status}", state.State)
        : JobCommandResult.Refused($"no job has the id '{this.GetPrimaryKeyString()}'", null);

    /// <summary>Carries an unfinished job on from its record; a finished job removes what its attempt may have left.</summary>
    private async Task ProceedAsync()
    {
        var next = await ChangeAsync(async () =>
        {
            if (!Unfinished)
            {
                // A silo that died between recording the end and cleaning up left the container.
                if (state.RecordExists)
                {
                    await CleanUpAsync(graph.Current.FindProcess(state.State.ProcessId));
                }

                return NextStep.None;
            }

            if (await FindProcessAsync() is null)
            {
                await AbandonAsync();
                return NextStep.None;
            }

            if (state.State.RetryAt is { } retryAt && retryAt > clock.GetUtcNow())
            {
                ProceedAt(retryAt);
                return NextStep.None;
            }

            return state.State.Status == JobStatus.Executing ? NextStep.Adopt : NextStep.AskForSlot;
        });
        await (next switch
        {
            NextStep.Adopt => RunAttemptAsync(adopt: true),
            NextStep.AskForSlot => AskForSlotAsync(),
            _ => Task.CompletedTask,
        });
    }

    /// <summary>
    /// Stops the running attempt of a job being cancelled and waits for it to end; the attempt's own completion
    /// records the cancellation once the stopped container has exited (an attempt this activation does not run yet,
    /// after a failure, is adopted first). Its container may not run yet (pull, create, start): keep stopping until
    /// the attempt has ended. A job whose process is no longer declared is abandoned instead, by carrying it on.
    /// </summary>
    private async Task<JobCommandResult> StopRunningAttemptAsync()
    {
        var process = await FindProcessAsync();
        StartInBackground(ProceedAsync);
        if (process is null)
        {
            await Background.Running!;
            return Refused("cancel");
        }

        while (Background.Running is { IsCompleted: false } running)
        {
            try
            {
                await attempts.StopAsync(state.State, process, CancellationToken.None);
            }
            catch (ContainerEngineUnavailableException e)
            {
                // The attempt fails on the same engine and records the cancellation then.
                LogStopFailed(logger, e, state.State.JobId);
            }

            await Task.WhenAny(running, Task.Delay(StopRetryPeriod));
        }

        return state.State.Status == JobStatus.Discarded
            ? JobCommandResult.Done($"cancelled; attempt {state.State.Attempts} was stopped", state.State)
            : JobCommandResult.Refused($"the running attempt could not be stopped; the job is {state.State.Status}", state.State);
    }

    /// <summary>
    /// Runs <paramref name="change"/> — deciding, writing the record, and what must follow the write (removing a
    /// container, releasing the slot, setting the retry timer) — while no other change runs. Client requests and the
    /// background attempt interleave at every await; without this a retry could land between an attempt's write and
    /// its slot release, or two writes of the record overlap.
    /// </summary>
    private async Task<T> ChangeAsync<T>(Func<Task<T>> change)
    {
        await _changing.WaitAsync();
        try
        {
            if (_stale)
            {
                throw new InvalidOperationException($"Job '{this.GetPrimaryKeyString()}': a write of its record failed; the job's next activation carries it on from the stored record.");
            }

            return await change();
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>Fails the job of an undeclared process and removes its attempt's container, once the failure is written.</summary>
    private async Task AbandonAsync()
    {
        JobLifecycle.Abandon(state.State, clock.GetUtcNow());
        await WriteOrReloadAsync();
        LogAbandoned(logger, state.State.JobId, state.State.ProcessId);
        await CleanUpAsync(null);
    }

    private async Task WriteOrReloadAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // What is in memory may not be what is stored: nothing more is decided from it, and the next activation
            // starts from the stored record.
            _stale = true;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Carries the job on at <paramref name="at"/> (its retry time) while this activation lives. The timer does not
    /// keep an idle activation from being collected before it fires (Orleans counts a keep-alive timer's ticks, not
    /// its wait): a retry further off than the collection age, or an activation lost with its silo, is resumed by the
    /// rescuer within a rescue period of its record going stale, and then waits out the rest.
    /// </summary>
    private void ProceedAt(DateTimeOffset at)
    {
        CancelRetryTimer();
        var due = at - clock.GetUtcNow();
        _retryTimer = this.RegisterGrainTimer(
            () =>
            {
                StartInBackground(ProceedAsync);
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private void CancelRetryTimer()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
    }

    private enum NextStep
    {
        None,
        Adopt,
        AskForSlot,
    }
}

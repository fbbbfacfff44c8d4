using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Jobs;

/// <summary>The commands that re-run a finished job: a manual retry and a replay.</summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public Task<JobCommandResult> RetryAsync(string requestedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        return ChangeAsync(() => RedriveAsync(requestedBy, replayId: null));
    }

    /// <inheritdoc />
    public Task<JobCommandResult> ReplayAsync(string replayId, ReplayMode mode, string requestedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replayId);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        return ChangeAsync(async () =>
        {
            if (state.RecordExists && state.State.Replays.Contains(replayId))
            {
                return JobCommandResult.Done($"replayed already by replay {replayId}", state.State);
            }

            if (mode == ReplayMode.NewAttempts)
            {
                return await RedriveAsync(requestedBy, replayId);
            }

            if (!state.RecordExists || !JobLifecycle.IsTerminal(state.State.Status))
            {
                return Refused("replay");
            }

            if (await UndeclaredProcessAsync("replay") is { } refused)
            {
                return refused;
            }

            // The new job first: a crash before this record says so makes the same (idempotent) job again.
            var copy = JobKeys.Replay(state.State.JobId, replayId);
            await GrainFactory.GetGrain<IJobGrain>(copy).AcknowledgeAsync(
                new JobRequest(state.State.LinkId, state.State.ProcessId, state.State.Event!, state.State.JobId));
            JobLifecycle.ReplayedAsNewJob(state.State, replayId);
            await WriteOrReloadAsync();
            return JobCommandResult.Done($"replayed as job {copy}", state.State);
        });
    }

    /// <summary>Sends a failed or discarded job back to wait for a new attempt (for a replay, if <paramref name="replayId"/> names one).</summary>
    private async Task<JobCommandResult> RedriveAsync(string requestedBy, string? replayId)
    {
        var command = replayId is null ? "retry" : "replay as a new attempt";
        if (!state.RecordExists || state.State.Status is not (JobStatus.Failed or JobStatus.Discarded))
        {
            return Refused(command);
        }

        if (await UndeclaredProcessAsync(command) is { } refused)
        {
            return refused;
        }

        JobLifecycle.Redrive(state.State, requestedBy, clock.GetUtcNow(), replayId);
        await WriteOrReloadAsync();
        _cancelledBy = null;
        LogRetried(logger, state.State.JobId, requestedBy);
        StartInBackground(AskForSlotAsync);
        return JobCommandResult.Done($"waiting for a slot for attempt {state.State.Attempts + 1}", state.State);
    }

    private async Task<JobCommandResult?> UndeclaredProcessAsync(string command) => await FindProcessAsync() is null
        ? JobCommandResult.Refused($"cannot {command}: process '{state.State.ProcessId}' is not in the pipeline graph", state.State)
        : null;
}

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// Job ids. A job is keyed by its link and its event, so a redelivered event reaches the same job.
/// The id starts with a letter that is not a hex digit: Orleans' ADO.NET storage would otherwise try to read an
/// all-digit key as a number (dotnet/orleans#9706).
/// </summary>
public static class JobKeys
{
    /// <summary>The id of the job a link makes for an event.</summary>
    public static string For(string linkId, long eventId) => $"job:{linkId}:{eventId}";

    /// <summary>The id of the new job the replay <paramref name="replayId"/> makes of the job <paramref name="jobId"/>.</summary>
    public static string Replay(string jobId, string replayId) => $"{jobId}~{replayId}";
}

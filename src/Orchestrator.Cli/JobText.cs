using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Cli;

/// <summary>Human-readable renderings of jobs.</summary>
internal static class JobText
{
    public static string Table(IReadOnlyList<JobSummary> jobs)
    {
        if (jobs.Count == 0)
        {
            return "No jobs.";
        }

        var text = new StringBuilder();
        var width = Math.Max("JOB".Length, jobs.Max(j => j.JobId.Length));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"JOB".PadRight(width)}  {"STATUS",-12} {"ATTEMPTS",8}  {"CREATED",-25}  {"UPDATED",-25}  PROCESS");
        foreach (var job in jobs)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{job.JobId.PadRight(width)}  {Name(job.Status),-12} {job.Attempts,8}  {Time(job.CreatedAt),-25}  {Time(job.UpdatedAt),-25}  {job.ProcessId}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Replay(ReplayProgress replay)
    {
        var mode = replay.Request.Mode == ReplayMode.NewJobs ? "as new jobs" : "as new attempts";
        var finished = replay.FinishedAt is { } at ? $", finished {Time(at)}" : "";
        return $"replay {replay.ReplayId} of link {replay.Request.LinkId} ({mode}): {Name(replay.Status)}; "
            + $"{replay.Replayed + replay.Skipped}/{replay.Selected} done, {replay.Replayed} replayed, {replay.Skipped} skipped{finished}";
    }

    public static string Page(JobPage page) =>
        page.NextCursor is { } cursor ? $"{Table(page.Jobs)}\nmore: --cursor {cursor}" : Table(page.Jobs);

    // A link's events that made no job show as rows "filtered" and "skipped" (link removed), after its statuses.
    public static string Counts(JobCounts counts)
    {
        var rows = counts.Statuses.Select(c => (c.LinkId, Status: Name(c.Status), c.Count, Order: 0))
            .Concat(counts.Events.Where(e => e.Filtered > 0).Select(e => (e.LinkId, Status: "filtered", Count: e.Filtered, Order: 1)))
            .Concat(counts.Events.Where(e => e.Skipped > 0).Select(e => (e.LinkId, Status: "skipped", Count: e.Skipped, Order: 2)))
            .OrderBy(r => r.LinkId, StringComparer.Ordinal).ThenBy(r => r.Order)
            .ToList();
        if (rows.Count == 0)
        {
            return "No jobs.";
        }

        var text = new StringBuilder();
        var width = Math.Max("LINK".Length, rows.Max(c => c.LinkId.Length));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"LINK".PadRight(width)}  {"STATUS",-12} {"JOBS",10}");
        foreach (var (linkId, status, count, _) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{linkId.PadRight(width)}  {status,-12} {count,10}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Details(JobState job)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"job       {job.JobId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"status    {Name(job.Status)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"link      {job.LinkId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"process   {job.ProcessId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"attempts  {job.Attempts}");
        if (job.Event is { } e)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"event     {e.Id}: {e.Operation.ToString().ToLowerInvariant()} on \"{e.Schema}\".\"{e.Table}\" (input {e.InputId}, tx {e.TransactionId}, {Time(e.CapturedAt)})");
        }

        if (job.RowKey is { } row)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"row       {row} (per-row order)");
        }

        if (job.Absorbed.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"absorbed  events {string.Join(", ", job.Absorbed)}; runs with event {job.RunEvent!.Id}'s row");
        }

        text.AppendLine("transitions");
        foreach (var t in job.Transitions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Time(t.At),-25}  {Name(t.Status),-12} {t.Reason}{(t.By is { } who ? $" [by {who}]" : "")}");
        }

        foreach (var run in job.Runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"run {run.Attempt}: image {run.Image}, container {run.ContainerId ?? "-"}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  started {Time(run.StartedAt)}, finished {(run.FinishedAt is { } f ? Time(f) : "-")}, exit code {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}, outcome {(run.Outcome is { } o ? Name(o) : "running")}{(run.Duration is { } d ? $" after {d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "")}");
            if (run.Error is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  error: {run.Error}");
            }

            AppendLog(text, "stdout", run.StdoutTail);
            AppendLog(text, "stderr", run.StderrTail);
        }

        return text.ToString().TrimEnd();
    }

    public static string Command(string jobId, JobCommandResult result) =>
        result.Job is { } job ? $"{jobId}: {result.Message} (now {Name(job.Status)}, {job.Attempts} attempts)" : result.Message;

    private static void AppendLog(StringBuilder text, string name, string tail)
    {
        if (tail.Length == 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {name}:");
        foreach (var line in tail.TrimEnd('\n').Split('\n'))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
        }
    }

    internal static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

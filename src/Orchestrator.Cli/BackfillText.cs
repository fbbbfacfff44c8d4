using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Backfills;

namespace Orchestrator.Cli;

/// <summary>Human-readable renderings of backfills.</summary>
internal static class BackfillText
{
    public static string Table(IReadOnlyList<BackfillProgress> backfills)
    {
        if (backfills.Count == 0)
        {
            return "No backfills.";
        }

        var text = new StringBuilder();
        var width = Math.Max("BACKFILL".Length, backfills.Max(b => b.Id.Length));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"BACKFILL".PadRight(width)}  {"STATUS",-8} {"ROWS",10}  {"CREATED",-25}  TABLE");
        foreach (var b in backfills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{b.Id.PadRight(width)}  {Name(b.Status),-8} {b.RowsDone,10}  {Time(b.CreatedAt),-25}  {Target(b)}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Details(BackfillProgress b)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"backfill  {b.Id}");
        text.AppendLine(CultureInfo.InvariantCulture, $"status    {Name(b.Status)}{(b.Error is { } error ? ": " + error : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"table     {Target(b)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"where     {b.Where ?? "(every row)"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"links     {(b.Links is { } links ? string.Join(", ", links) : "(every link of the input)")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"rows      {b.RowsDone}");
        text.AppendLine(CultureInfo.InvariantCulture, $"created   {Time(b.CreatedAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"updated   {Time(b.UpdatedAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"finished  {(b.FinishedAt is { } f ? Time(f) : "-")}");
        return text.ToString().TrimEnd();
    }

    public static string Progress(BackfillProgress b) => $"{b.Id}: {Name(b.Status)}, {b.RowsDone} rows of {Target(b)}";

    private static string Target(BackfillProgress b) => $"{b.Input}: \"{b.Schema}\".\"{b.Table}\"";

    private static string Name(BackfillStatus status) => JobText.Name(status);

    private static string Time(DateTimeOffset at) => JobText.Time(at);
}

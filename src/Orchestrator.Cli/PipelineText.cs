using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Cli;

/// <summary>How the pipeline commands print for people.</summary>
internal static class PipelineText
{
    public static string Snapshot(PipelineSnapshot snapshot)
    {
        var text = new StringBuilder();
        text.Append(snapshot.Version == 0 ? "No graph stored yet." : $"Version {snapshot.Version}, applied {snapshot.AppliedAt:u} by {snapshot.AppliedBy}.").AppendLine();
        var definition = snapshot.Definition;
        text.AppendLine(CultureInfo.InvariantCulture, $"inputs ({definition.Inputs.Count}):");
        foreach (var input in definition.Inputs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {input.Id}: {input.Schema}.{(input.Tables is { } tables ? string.Join(',', tables) : "*")} ({(input.Operations is { } ops ? string.Join(',', ops) : "insert,update,delete")})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"processes ({definition.Processes.Count}):");
        foreach (var process in definition.Processes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {process.Id}: {process.Image} (max {process.MaxConcurrency} at once)");
        }

        text.Append(CultureInfo.InvariantCulture, $"links ({definition.Links.Count}):");
        foreach (var link in definition.Links)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {link.Id}: {link.Input} -> {link.Process}");
        }

        return text.ToString();
    }

    public static string Result(PipelineApplyResult result)
    {
        var text = new StringBuilder(result.Outcome switch
        {
            PipelineApplyOutcome.Applied => $"Applied as version {result.Version}:",
            PipelineApplyOutcome.Unchanged => $"Nothing to do: version {result.Version} is already this graph.",
            PipelineApplyOutcome.Valid => $"Valid; applying it to version {result.Version} would change:",
            _ => $"Refused (version {result.Version} stays):",
        });
        foreach (var change in result.Changes)
        {
            text.AppendLine().Append("  ").Append(change);
        }

        foreach (var error in result.Errors)
        {
            text.AppendLine().Append("  ").Append(error);
        }

        if (result.JobsCancelled > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {result.JobsCancelled} unfinished job(s) of removed links cancelled.");
        }

        if (result.SilosBehind.Count > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {result.SilosBehind.Count} silo(s) had not read it yet; they do within seconds.");
        }

        return text.ToString();
    }
}

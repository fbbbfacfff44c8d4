using System.Security.Cryptography;
using System.Text;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>Names of the capture objects, and quoting for the DDL that cannot take parameters.</summary>
internal static class SqlNames
{
    /// <summary>The channel the capture trigger notifies; the payload is the queue id.</summary>
    public const string Channel = "orchestrator_capture";

    /// <summary>The trigger function's qualified name.</summary>
    public const string Function = "orchestrator.capture_change";

    private const string TriggerPrefix = "orchestrator:";

    /// <summary>A double-quoted identifier; fails on names Postgres cannot hold.</summary>
    public static string Quote(string name)
    {
        if (PipelineValidator.IdentifierProblem(name) is { } problem)
        {
            throw new ArgumentException($"The identifier '{name}' {problem}.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A qualified, quoted table name.</summary>
    public static string Table(string schema, string table) => Quote(schema) + "." + Quote(table);

    /// <summary>A single-quoted string literal (the installer sets <c>standard_conforming_strings</c>).</summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A literal cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// The name of the trigger of an input whose links all filter, one per operation (a trigger's <c>WHEN</c> may
    /// read OLD only on update and delete, NEW only on insert and update).
    /// </summary>
    public static string TriggerName(string inputId, ChangeOperation operation) => TriggerName(inputId + ":" + ChangeOperations.NameOf(operation));

    /// <summary>Every name an input's triggers may have: the unfiltered one, then one per operation.</summary>
    public static IReadOnlyList<string> TriggerNames(string inputId) =>
        [TriggerName(inputId), .. ChangeOperations.All.Select(o => TriggerName(inputId, o))];

    /// <summary>The name of an input's triggers: readable, at most 63 bytes, distinct per input.</summary>
    public static string TriggerName(string inputId)
    {
        var name = TriggerPrefix + inputId;
        if (Encoding.UTF8.GetByteCount(name) <= PipelineValidator.MaxIdentifierBytes)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputId)))[..8];
        var keep = PipelineValidator.MaxIdentifierBytes - hash.Length - 1;
        while (Encoding.UTF8.GetByteCount(name.AsSpan(0, keep)) > PipelineValidator.MaxIdentifierBytes - hash.Length - 1 || char.IsHighSurrogate(name[keep - 1]))
        {
            keep--;
        }

        return name[..keep] + ":" + hash;
    }
}

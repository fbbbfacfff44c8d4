using System.Security.Cryptography;
using System.Text;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres;

/// <summary>Quoting of identifiers and literals for the DDL that cannot take parameters.</summary>
internal static class SqlNames
{
    /// <summary>The channel the capture trigger notifies.</summary>
    public const string Channel = "orchestrator_capture";

    /// <summary>A double-quoted identifier; fails on names Postgres cannot hold.</summary>
    public static string Quote(string name)
    {
        if (PipelineValidator.IdentifierProblem(name) is { } problem)
        {
            throw new ArgumentException($"'{name}' {problem}.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A single-quoted string literal (standard conforming strings).</summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A literal cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The name of an input's trigger: readable, at most 63 bytes, distinct per input.</summary>
    public static string TriggerName(string inputId)
    {
        var name = "orchestrator:" + inputId;
        if (Encoding.UTF8.GetByteCount(name) <= PipelineValidator.MaxIdentifierBytes)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputId)))[..8];
        return name[..(PipelineValidator.MaxIdentifierBytes - 9)] + ":" + hash;
    }
}

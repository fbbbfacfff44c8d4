namespace Orchestrator.Abstractions.Filters;

/// <summary>The kind of a filter literal.</summary>
public enum FilterLiteralKind
{
    /// <summary>A single-quoted text (<c>''</c> inside is one quote).</summary>
    Text,

    /// <summary>A decimal number, e.g. <c>-12.5</c> or <c>1e3</c>.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}

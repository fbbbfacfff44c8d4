namespace Orchestrator.Abstractions.Filters;

/// <summary>One token of a filter: its kind, its text (a quoted one unquoted) and its 1-based position.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    /// <summary>True for an unquoted name equal to <paramref name="keyword"/>, ignoring case.</summary>
    public bool Is(string keyword) => Kind == FilterTokenKind.Name && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>How an error message shows the token.</summary>
    public string Shown => Kind == FilterTokenKind.End ? "the end" : $"'{Text}'";
}

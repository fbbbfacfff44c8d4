namespace Orchestrator.Abstractions.Filters;

/// <summary>A literal of a filter, kept as its text: a compiler passes it as a parameter the database types.</summary>
/// <param name="Kind">Text, number or boolean.</param>
/// <param name="Text">The value: a string's content without quotes, a number's digits, "true" or "false".</param>
/// <param name="Position">Where the literal starts in the filter text (1 is the first character).</param>
public sealed record FilterLiteral(FilterLiteralKind Kind, string Text, int Position);

namespace Orchestrator.Abstractions.Filters;

/// <summary>The kinds of token <see cref="FilterLexer"/> reads.</summary>
internal enum FilterTokenKind
{
    Name,
    QuotedName,
    String,
    Number,
    Operator,
    Open,
    Close,
    Comma,
    Dot,
    End,
}

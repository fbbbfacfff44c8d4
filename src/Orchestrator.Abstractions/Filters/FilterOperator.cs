namespace Orchestrator.Abstractions.Filters;

/// <summary>A comparison operator of a filter.</summary>
public enum FilterOperator
{
    /// <summary><c>=</c> or <c>==</c> (the same)</summary>
    Equal,

    /// <summary><c>!=</c> or <c>&lt;&gt;</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
}

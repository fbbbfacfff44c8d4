namespace Orchestrator.Abstractions.Filters;

/// <summary>A filter expression that cannot be parsed, or names a column the table does not have.</summary>
public sealed class InvalidFilterException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="position"/>.</summary>
    public InvalidFilterException(string problem, int position)
        : base($"{problem} (at character {position})")
    {
        Problem = problem;
        Position = position;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>Where in the filter text (1 is the first character).</summary>
    public int Position { get; }

    /// <summary>The column the table lacks, when that is the problem.</summary>
    public string? UnknownColumn { get; init; }
}

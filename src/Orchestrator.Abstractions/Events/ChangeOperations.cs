namespace Orchestrator.Abstractions.Events;

/// <summary>Names of operations as pipelines files and the event log write them.</summary>
public static class ChangeOperations
{
    /// <summary>Every operation a trigger captures, in declaration order.</summary>
    public static IReadOnlyList<ChangeOperation> All { get; } = [ChangeOperation.Insert, ChangeOperation.Update, ChangeOperation.Delete];

    /// <summary>Reads a captured operation: "insert" (or its alias "create"), "update" or "delete", ignoring case.</summary>
    public static bool TryParse(string? name, out ChangeOperation operation)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "insert" or "create":
                operation = ChangeOperation.Insert;
                return true;
            case "update":
                operation = ChangeOperation.Update;
                return true;
            case "delete":
                operation = ChangeOperation.Delete;
                return true;
            default:
                operation = default;
                return false;
        }
    }

    /// <summary>Reads an operation as the event log stores it: a captured one, or "read".</summary>
    public static bool TryParseLogged(string? name, out ChangeOperation operation)
    {
        if (string.Equals(name, "read", StringComparison.Ordinal))
        {
            operation = ChangeOperation.Read;
            return true;
        }

        return TryParse(name, out operation);
    }

    /// <summary>The lower-case name the event log stores ("insert", "update", "delete", "read").</summary>
    public static string NameOf(ChangeOperation operation) => operation switch
    {
        ChangeOperation.Insert => "insert",
        ChangeOperation.Update => "update",
        ChangeOperation.Delete => "delete",
        ChangeOperation.Read => "read",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
    };
}

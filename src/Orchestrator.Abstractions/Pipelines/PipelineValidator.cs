using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// Checks a pipeline definition without touching any database or engine. Every problem is reported, each with its
/// path; checks that need the database (tables that exist) are the capture installer's.
/// </summary>
public static partial class PipelineValidator
{
    /// <summary>The longest identifier Postgres keeps (NAMEDATALEN - 1 bytes).</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>Schemas that hold Orchestrator's event log and Orleans' tables: never watched.</summary>
    public static readonly IReadOnlySet<string> ReservedSchemas = new HashSet<string>(StringComparer.Ordinal) { "orchestrator", "orleans" };

    /// <summary>Returns every problem of <paramref name="definition"/>; empty when it is valid.</summary>
    public static IReadOnlyList<PipelineError> Validate(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<PipelineError>();
        var inputs = CheckIds(definition.Inputs.Select(i => i.Id).ToList(), "inputs", errors);
        var processes = CheckIds(definition.Processes.Select(p => p.Id).ToList(), "processes", errors);
        CheckIds(definition.Links.Select(l => l.Id).ToList(), "links", errors);

        for (var i = 0; i < definition.Inputs.Count; i++)
        {
            CheckInput(definition.Inputs[i], $"inputs[{i}]", errors);
        }

        for (var i = 0; i < definition.Processes.Count; i++)
        {
            CheckProcess(definition.Processes[i], $"processes[{i}]", errors);
        }

        for (var i = 0; i < definition.Links.Count; i++)
        {
            var link = definition.Links[i];
            if (!inputs.Contains(link.Input))
            {
                errors.Add(new(PipelineErrorCode.UnknownInput, $"links[{i}].input",
                    $"link '{link.Id}' names input '{link.Input}', which is not declared"));
            }

            if (!processes.Contains(link.Process))
            {
                errors.Add(new(PipelineErrorCode.UnknownProcess, $"links[{i}].process",
                    $"link '{link.Id}' names process '{link.Process}', which is not declared"));
            }

            if (link.Retry is not null)
            {
                CheckRetry(link.Retry, $"links[{i}].retry", $"link '{link.Id}'", errors);
            }

            CheckFilter(link, definition.Inputs.FirstOrDefault(input => input.Id == link.Input), $"links[{i}]", errors);
            CheckOrdering(link, $"links[{i}]", errors);
        }

        return errors;
    }

    /// <summary>Throws <see cref="InvalidPipelineException"/> listing every problem, if there is any.</summary>
    public static void EnsureValid(PipelineDefinition definition)
    {
        var errors = Validate(definition);
        if (errors.Count > 0)
        {
            throw new InvalidPipelineException(errors);
        }
    }

    /// <summary>Returns a problem when <paramref name="name"/> cannot be a Postgres identifier, else null.</summary>
    public static string? IdentifierProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character";
        }

        return Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes
            ? $"is longer than {MaxIdentifierBytes} bytes"
            : null;
    }

    private static HashSet<string> CheckIds(List<string> ids, string collection, List<PipelineError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id))
            {
                errors.Add(new(PipelineErrorCode.InvalidId, $"{collection}[{i}].id",
                    $"'{id}' is not a valid id: use 1 to 63 letters, digits, '-' or '_', starting with a letter or digit"));
            }
            else if (!seen.Add(id))
            {
                errors.Add(new(PipelineErrorCode.DuplicateId, $"{collection}[{i}].id", $"'{id}' is declared more than once"));
            }
        }

        return seen;
    }

    private static void CheckInput(PostgresInputDefinition input, string path, List<PipelineError> errors)
    {
        if (!string.Equals(input.Kind, "postgres", StringComparison.Ordinal))
        {
            errors.Add(new(PipelineErrorCode.UnknownKind, $"{path}.kind", $"input '{input.Id}' has kind '{input.Kind}'; the known kind is 'postgres'"));
        }

        if (input.ConnectionStringSecret is { } secret && (input.ConnectionString is not null || !IdPattern().IsMatch(secret)))
        {
            errors.Add(new(PipelineErrorCode.Malformed, $"{path}.connectionStringSecret", input.ConnectionString is not null
                ? $"input '{input.Id}' names both a connection string and a connection string secret; keep only the secret"
                : $"'{secret}' is not a valid secret name: use 1 to 63 letters, digits, '-' or '_', starting with a letter or digit"));
        }

        if (IdentifierProblem(input.Schema) is { } schemaProblem)
        {
            errors.Add(new(PipelineErrorCode.InvalidIdentifier, $"{path}.schema", $"schema of input '{input.Id}' {schemaProblem}"));
        }
        else if (ReservedSchemas.Contains(input.Schema))
        {
            errors.Add(new(PipelineErrorCode.InvalidIdentifier, $"{path}.schema",
                $"input '{input.Id}' watches schema '{input.Schema}', which holds Orchestrator's own tables; capturing it would capture every job"));
        }

        var tables = input.Tables ?? [];
        for (var t = 0; t < tables.Count; t++)
        {
            if (IdentifierProblem(tables[t]) is { } tableProblem)
            {
                errors.Add(new(PipelineErrorCode.InvalidIdentifier, $"{path}.tables[{t}]", $"table of input '{input.Id}' {tableProblem}"));
            }
        }

        var operations = input.Operations ?? [];
        for (var o = 0; o < operations.Count; o++)
        {
            if (!ChangeOperations.TryParse(operations[o], out _))
            {
                errors.Add(new(PipelineErrorCode.UnknownOperation, $"{path}.operations[{o}]",
                    $"'{operations[o]}' is not an operation; use insert (or create), update or delete"));
            }
        }
    }

    private static void CheckProcess(ContainerProcessDefinition process, string path, List<PipelineError> errors)
    {
        if (!string.Equals(process.Kind, "container", StringComparison.Ordinal))
        {
            errors.Add(new(PipelineErrorCode.UnknownKind, $"{path}.kind", $"process '{process.Id}' has kind '{process.Kind}'; the known kind is 'container'"));
        }

        if (string.IsNullOrWhiteSpace(process.Image))
        {
            errors.Add(new(PipelineErrorCode.ContainerImageMissing, $"{path}.image", $"container process '{process.Id}' names no image"));
        }

        CheckCommand(process, path, errors);
        if (process.MaxConcurrency < 1)
        {
            errors.Add(new(PipelineErrorCode.OutOfRange, $"{path}.maxConcurrency",
                $"process '{process.Id}' has maxConcurrency {process.MaxConcurrency}; it must be at least 1"));
        }

        CheckFailureHandling(process, path, errors);
        CheckLogs(process, path, errors);
        foreach (var name in process.Environment.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            errors.Add(new(PipelineErrorCode.Malformed, $"{path}.environment", $"process '{process.Id}' has an invalid variable name '{name}'"));
        }
    }

    private static void CheckOrdering(LinkDefinition link, string path, List<PipelineError> errors)
    {
        if (link.Ordering is not (LinkOrdering.Parallel or LinkOrdering.PerRow))
        {
            errors.Add(new(PipelineErrorCode.InvalidOrdering, $"{path}.ordering",
                $"link '{link.Id}' has ordering '{link.Ordering}'; use '{LinkOrdering.Parallel}' or '{LinkOrdering.PerRow}'"));
        }
        else if (link.Coalesce && !link.OrdersRows)
        {
            errors.Add(new(PipelineErrorCode.InvalidOrdering, $"{path}.coalesce",
                $"link '{link.Id}' coalesces, which needs ordering '{LinkOrdering.PerRow}' (it has '{link.Ordering}')"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

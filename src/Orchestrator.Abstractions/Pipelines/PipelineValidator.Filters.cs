using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The checks of a link's filter that need no database: its lists, names and the syntax of its condition.</summary>
public static partial class PipelineValidator
{
    private static void CheckFilter(LinkDefinition link, PostgresInputDefinition? input, string path, List<PipelineError> errors)
    {
        if (link.Filter is not { } filter)
        {
            return;
        }

        var at = path + ".filter";
        CheckNames(link, filter.Tables, "tables", "table", input?.Tables, at, errors);
        CheckNames(link, filter.Columns, "columns", "column", null, at, errors);
        var operations = filter.Operations ?? [];
        if (filter.Operations is { Count: 0 })
        {
            errors.Add(new(PipelineErrorCode.InvalidFilter, at + ".operations", $"the filter of link '{link.Id}' lists no operation; leave 'operations' out for all"));
        }

        for (var o = 0; o < operations.Count; o++)
        {
            if (!ChangeOperations.TryParse(operations[o], out var operation))
            {
                errors.Add(new(PipelineErrorCode.UnknownOperation, $"{at}.operations[{o}]", $"'{operations[o]}' is not an operation; use insert (or create), update or delete"));
            }
            else if (input?.Operations is { } captured && !captured.Any(c => ChangeOperations.TryParse(c, out var op) && op == operation))
            {
                errors.Add(new(PipelineErrorCode.UnknownOperation, $"{at}.operations[{o}]",
                    $"link '{link.Id}' filters on '{operations[o]}', which input '{input.Id}' does not capture"));
            }
        }

        if (filter.When is { } when)
        {
            try
            {
                FilterParser.Parse(when);
            }
            catch (InvalidFilterException e)
            {
                errors.Add(new(PipelineErrorCode.InvalidFilter, at + ".when", $"the filter of link '{link.Id}' does not parse: {e.Message}"));
            }
        }
    }

    private static void CheckNames(
        LinkDefinition link, IReadOnlyList<string>? names, string key, string noun, IReadOnlyList<string>? known, string at, List<PipelineError> errors)
    {
        if (names is null)
        {
            return;
        }

        if (names.Count == 0)
        {
            errors.Add(new(PipelineErrorCode.InvalidFilter, $"{at}.{key}", $"the filter of link '{link.Id}' lists no {noun}; leave '{key}' out for all"));
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (IdentifierProblem(names[i]) is { } problem)
            {
                errors.Add(new(PipelineErrorCode.InvalidIdentifier, $"{at}.{key}[{i}]", $"a {noun} of link '{link.Id}''s filter {problem}"));
            }
            else if (known is not null && !known.Contains(names[i], StringComparer.Ordinal))
            {
                errors.Add(new(PipelineErrorCode.UnknownTable, $"{at}.{key}[{i}]", $"link '{link.Id}' filters on table '{names[i]}', which input '{link.Input}' does not watch"));
            }
        }
    }
}

using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// Checks a link's filter against the tables its input watches, as their database describes them, and compiles
/// it: tables the input does not watch, columns a table lacks and literals that do not fit their column are
/// <see cref="PipelineError"/>s with the filter's path; the condition is checked against every table it applies to.
/// </summary>
public static class LinkFilterCompiler
{
    /// <summary>
    /// The compiled filter of <paramref name="link"/> (null when it has none or has problems, which are added to
    /// <paramref name="errors"/>); <paramref name="path"/> is the link's, e.g. <c>links[2]</c>.
    /// </summary>
    public static LinkEventFilter? Compile(LinkDefinition link, string path, IReadOnlyCollection<FilterTable> inputTables, List<PipelineError> errors)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(inputTables);
        ArgumentNullException.ThrowIfNull(errors);
        if (link.Filter is not { } filter)
        {
            return null;
        }

        var before = errors.Count;
        var at = path + ".filter";
        var tables = TablesOf(link, filter, at, inputTables, errors);
        FilterExpression? condition = null;
        if (filter.When is { } when)
        {
            try
            {
                condition = FilterParser.Parse(when);
            }
            catch (InvalidFilterException e)
            {
                errors.Add(new(PipelineErrorCode.InvalidFilter, at + ".when", $"the filter of link '{link.Id}' does not parse: {e.Message}"));
            }
        }

        var rules = new Dictionary<string, LinkEventFilter.TableRules>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            rules[table.Name] = new(table, Changed(link, filter, at, table, errors), When(link, condition, at, table, errors));
        }

        IReadOnlySet<ChangeOperation>? operations = filter.Operations?.Select(o => ChangeOperations.TryParse(o, out var op) ? op : (ChangeOperation?)null)
            .OfType<ChangeOperation>().ToHashSet();
        return errors.Count > before ? null : new LinkEventFilter(operations, filter.Columns, condition, rules);
    }

    private static List<FilterTable> TablesOf(LinkDefinition link, LinkFilterDefinition filter, string at, IReadOnlyCollection<FilterTable> inputTables, List<PipelineError> errors)
    {
        if (filter.Tables is null)
        {
            return [.. inputTables];
        }

        var tables = new List<FilterTable>();
        for (var t = 0; t < filter.Tables.Count; t++)
        {
            var name = filter.Tables[t];
            if (inputTables.FirstOrDefault(i => i.Name == name) is { } table)
            {
                tables.Add(table);
            }
            else
            {
                errors.Add(new(PipelineErrorCode.UnknownTable, $"{at}.tables[{t}]", $"link '{link.Id}' filters on table '{name}', which input '{link.Input}' does not watch"));
            }
        }

        return tables;
    }

    private static List<Func<FilterRows, bool?>>? Changed(LinkDefinition link, LinkFilterDefinition filter, string at, FilterTable table, List<PipelineError> errors)
    {
        if (filter.Columns is null)
        {
            return null;
        }

        var tests = new List<Func<FilterRows, bool?>>();
        for (var c = 0; c < filter.Columns.Count; c++)
        {
            var column = new FilterColumn(filter.Columns[c], 1);
            if (table.Columns.TryGetValue(column.Name, out var type))
            {
                tests.Add(FilterEvaluator.Changed(column, type));
            }
            else
            {
                errors.Add(new(PipelineErrorCode.UnknownColumn, $"{at}.columns[{c}]", $"link '{link.Id}' watches column '{column.Name}', which table '{table.Name}' does not have"));
            }
        }

        return tests;
    }

    private static Func<FilterRows, bool?>? When(LinkDefinition link, FilterExpression? condition, string at, FilterTable table, List<PipelineError> errors)
    {
        if (condition is null)
        {
            return null;
        }

        try
        {
            return FilterEvaluator.Compile(condition, table);
        }
        catch (InvalidFilterException e)
        {
            errors.Add(new(e.UnknownColumn is null ? PipelineErrorCode.InvalidFilter : PipelineErrorCode.UnknownColumn, at + ".when",
                $"the filter of link '{link.Id}' on table '{table.Name}': {e.Message}"));
            return null;
        }
    }
}

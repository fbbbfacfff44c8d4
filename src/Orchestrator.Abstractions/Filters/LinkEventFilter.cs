using System.Text.Json;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// A link's filter compiled against its input's tables (<see cref="LinkFilterCompiler"/>), once per link: which
/// tables and operations pass, and per table the <c>columns</c> test and the <c>when</c> condition as functions of a
/// change's rows. Evaluating an event parses its rows once, and only when a condition needs them.
/// </summary>
public sealed class LinkEventFilter
{
    private readonly Dictionary<string, TableRules> _tables;

    internal LinkEventFilter(
        IReadOnlySet<ChangeOperation>? operations, IReadOnlyList<string>? columns, FilterExpression? condition, Dictionary<string, TableRules> tables)
    {
        Operations = operations;
        Columns = columns;
        Condition = condition;
        _tables = tables;
    }

    /// <summary>The operations that pass; null is all.</summary>
    public IReadOnlySet<ChangeOperation>? Operations { get; }

    /// <summary>The columns one of which an update must change; null is any update.</summary>
    public IReadOnlyList<string>? Columns { get; }

    /// <summary>The parsed <c>when</c> condition; null is none.</summary>
    public FilterExpression? Condition { get; }

    /// <summary>The tables that pass, as the filter was checked against them.</summary>
    public IEnumerable<FilterTable> Tables => _tables.Values.Select(t => t.Table);

    /// <summary>Whether changes of <paramref name="operation"/> to <paramref name="table"/> can pass at all.</summary>
    public bool Applies(string table, ChangeOperation operation) =>
        _tables.ContainsKey(table) && (Operations is null || Operations.Contains(operation == ChangeOperation.Read ? ChangeOperation.Insert : operation));

    /// <summary>Whether <paramref name="change"/> passes: a job is made for it.</summary>
    public bool Passes(CapturedEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var operation = change.Operation == ChangeOperation.Read ? ChangeOperation.Insert : change.Operation;
        if (!Applies(change.Table, operation))
        {
            return false;
        }

        var rules = _tables[change.Table];
        var tested = operation == ChangeOperation.Update ? rules.Changed : null;
        if (tested is null && rules.When is null)
        {
            return true;
        }

        using var old = Parse(change.OldRow);
        using var @new = Parse(change.NewRow);
        var rows = new FilterRows(old?.RootElement, @new?.RootElement, operation == ChangeOperation.Delete);
        return (tested is null || tested.Any(c => c(rows) == true)) && (rules.When is null || rules.When(rows) == true);
    }

    private static JsonDocument? Parse(string? row) => row is null ? null : JsonDocument.Parse(row);

    /// <summary>What a filter tests on the changes of one table.</summary>
    internal sealed record TableRules(FilterTable Table, IReadOnlyList<Func<FilterRows, bool?>>? Changed, Func<FilterRows, bool?>? When);
}

namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// Compiles a link filter's condition over one table into a function of a change's rows, in SQL's three-valued
/// logic: a comparison with a null (or a missing row's) column is unknown (null), <c>not</c> of unknown is unknown,
/// <c>and</c> is false if either side is, <c>or</c> true if either side is. Compiling checks every column against
/// the table and types every literal by its column, so an ill-typed condition fails here, at its position, once per
/// link and table rather than per event.
/// </summary>
internal static class FilterEvaluator
{
    public static Func<FilterRows, bool?> Compile(FilterExpression filter, FilterTable table) => filter switch
    {
        FilterAnd and => And(Compile(and.Left, table), Compile(and.Right, table)),
        FilterOr or => Or(Compile(or.Left, table), Compile(or.Right, table)),
        FilterNot not => Not(Compile(not.Operand, table)),
        FilterComparison comparison => Comparison(comparison, table),
        FilterNullTest test => NullTest(test, table),
        FilterMembership membership => Membership(membership, table),
        FilterChanged changed => Changed(changed.Column, table.TypeOf(changed.Column)),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node."),
    };

    /// <summary><c>changed(column)</c> (and a link's <c>columns</c> list): the old and new values are distinct.</summary>
    public static Func<FilterRows, bool?> Changed(FilterColumn column, FilterColumnType type)
    {
        var old = column with { Row = FilterRow.Old };
        var @new = column with { Row = FilterRow.New };
        return rows => FilterValues.Distinct(type, rows.Read(old), rows.Read(@new));
    }

    private static Func<FilterRows, bool?> And(Func<FilterRows, bool?> left, Func<FilterRows, bool?> right) => rows => left(rows) switch
    {
        false => false,
        true => right(rows),
        null => right(rows) == false ? false : null,
    };

    private static Func<FilterRows, bool?> Or(Func<FilterRows, bool?> left, Func<FilterRows, bool?> right) => rows => left(rows) switch
    {
        true => true,
        false => right(rows),
        null => right(rows) == true ? true : null,
    };

    private static Func<FilterRows, bool?> Not(Func<FilterRows, bool?> operand) => rows => !operand(rows);

    private static Func<FilterRows, bool?> Comparison(FilterComparison comparison, FilterTable table)
    {
        var type = table.TypeOf(comparison.Column);
        var literal = FilterValues.Literal(type, comparison.Column, comparison.Value);
        var column = comparison.Column;
        var holds = Holds(comparison.Operator);
        return rows => rows.Read(column) is { } json && FilterValues.Read(type, json) is { } value ? holds(value.CompareTo(literal)) : null;
    }

    private static Func<FilterRows, bool?> NullTest(FilterNullTest test, FilterTable table)
    {
        table.TypeOf(test.Column);
        var column = test.Column;
        return rows => rows.Read(column).HasValue == test.Negated;
    }

    // SQL's IN: true if any value equals, else unknown if the column is null, else false.
    private static Func<FilterRows, bool?> Membership(FilterMembership membership, FilterTable table)
    {
        var type = table.TypeOf(membership.Column);
        var values = membership.Values.Select(v => FilterValues.Literal(type, membership.Column, v)).ToList();
        var column = membership.Column;
        return rows =>
        {
            if (rows.Read(column) is not { } json || FilterValues.Read(type, json) is not { } value)
            {
                return null;
            }

            return values.Any(v => value.CompareTo(v) == 0) != membership.Negated;
        };
    }

    private static Func<int, bool> Holds(FilterOperator op) => op switch
    {
        FilterOperator.Equal => order => order == 0,
        FilterOperator.NotEqual => order => order != 0,
        FilterOperator.Less => order => order < 0,
        FilterOperator.LessOrEqual => order => order <= 0,
        FilterOperator.Greater => order => order > 0,
        _ => order => order >= 0,
    };
}

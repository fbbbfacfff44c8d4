using System.Text;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// Compiles a parsed filter to a SQL condition. A scope says how its columns, literals and <c>changed()</c> read:
/// a backfill's rows with literals as parameters, or a trigger's OLD and NEW with literals quoted and cast.
/// </summary>
internal static class FilterSql
{
    /// <summary>
    /// A backfill's condition on rows aliased <paramref name="alias"/>: every column must be one of
    /// <paramref name="columns"/> (else an <see cref="InvalidFilterException"/> at its position) and is quoted; every
    /// literal becomes a parameter of type <c>unknown</c> (<paramref name="parameter"/> adds it and returns its
    /// placeholder), so Postgres types it by its column as it would a SQL literal. A backfill reads rows as they
    /// are, so <c>old.</c> and <c>changed()</c> are refused.
    /// </summary>
    public static string Compile(FilterExpression filter, IReadOnlyCollection<string> columns, string alias, Func<string, string> parameter) =>
        Compile(filter, new RowScope(columns, alias, parameter));

    /// <summary>The condition for <paramref name="filter"/> in <paramref name="scope"/>.</summary>
    public static string Compile(FilterExpression filter, IFilterSqlScope scope)
    {
        var sql = new StringBuilder();
        Append(sql, filter, scope);
        return sql.ToString();
    }

    private static void Append(StringBuilder sql, FilterExpression filter, IFilterSqlScope scope)
    {
        switch (filter)
        {
            case FilterAnd and:
                Binary(sql, and.Left, " AND ", and.Right, scope);
                break;
            case FilterOr or:
                Binary(sql, or.Left, " OR ", or.Right, scope);
                break;
            case FilterNot not:
                sql.Append("(NOT ");
                Append(sql, not.Operand, scope);
                sql.Append(')');
                break;
            case FilterComparison comparison:
                sql.Append(scope.Column(comparison.Column) is { } compared
                    ? $"({compared} {OperatorSql(comparison.Operator)} {scope.Literal(comparison.Column, comparison.Value)})"
                    : "NULL::boolean");
                break;
            case FilterNullTest test:
                sql.Append(scope.Column(test.Column) is { } tested ? $"({tested}{(test.Negated ? " IS NOT NULL)" : " IS NULL)")}" : test.Negated ? "FALSE" : "TRUE");
                break;
            case FilterMembership membership:
                sql.Append(scope.Column(membership.Column) is { } member
                    ? $"({member}{(membership.Negated ? " NOT IN (" : " IN (")}{string.Join(", ", membership.Values.Select(v => scope.Literal(membership.Column, v)))}))"
                    : "NULL::boolean");
                break;
            case FilterChanged changed:
                sql.Append(scope.Changed(changed));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node.");
        }
    }

    private static void Binary(StringBuilder sql, FilterExpression left, string op, FilterExpression right, IFilterSqlScope scope)
    {
        sql.Append('(');
        Append(sql, left, scope);
        sql.Append(op);
        Append(sql, right, scope);
        sql.Append(')');
    }

    private static string OperatorSql(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Less => "<",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.Greater => ">",
        _ => ">=",
    };

    // A backfill's scope: one row, aliased; literals as parameters.
    private sealed class RowScope(IReadOnlyCollection<string> columns, string alias, Func<string, string> parameter) : IFilterSqlScope
    {
        public string Column(FilterColumn column)
        {
            if (column.Row == FilterRow.Old)
            {
                throw new InvalidFilterException("a backfill reads rows as they are: there is no old row", column.Position);
            }

            return columns.Contains(column.Name, StringComparer.Ordinal)
                ? alias + "." + SqlNames.Quote(column.Name)
                : throw new InvalidFilterException($"the table has no column '{column.Name}'", column.Position);
        }

        public string Literal(FilterColumn column, FilterLiteral literal) => parameter(literal.Text);

        public string Changed(FilterChanged changed) =>
            throw new InvalidFilterException("a backfill reads rows as they are: nothing changed", changed.Position);
    }
}

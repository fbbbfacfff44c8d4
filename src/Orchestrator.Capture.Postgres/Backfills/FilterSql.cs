using System.Text;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// Compiles a parsed filter to a SQL condition over one table: every column must be one of the table's (an unknown
/// one is an <see cref="InvalidFilterException"/> at its position) and is quoted; every literal becomes a parameter
/// of type <c>unknown</c>, so Postgres types it by the column it is compared with, as it would a SQL literal.
/// </summary>
internal static class FilterSql
{
    /// <summary>
    /// The condition for <paramref name="filter"/> on rows aliased <paramref name="alias"/>; <paramref name="parameter"/>
    /// adds a literal's text as a parameter and returns its placeholder.
    /// </summary>
    public static string Compile(FilterExpression filter, IReadOnlyCollection<string> columns, string alias, Func<string, string> parameter)
    {
        var sql = new StringBuilder();
        Append(sql, filter, columns, alias, parameter);
        return sql.ToString();
    }

    private static void Append(StringBuilder sql, FilterExpression filter, IReadOnlyCollection<string> columns, string alias, Func<string, string> parameter)
    {
        switch (filter)
        {
            case FilterAnd and:
                Binary(sql, and.Left, " AND ", and.Right, columns, alias, parameter);
                break;
            case FilterOr or:
                Binary(sql, or.Left, " OR ", or.Right, columns, alias, parameter);
                break;
            case FilterNot not:
                sql.Append("(NOT ");
                Append(sql, not.Operand, columns, alias, parameter);
                sql.Append(')');
                break;
            case FilterComparison comparison:
                sql.Append('(').Append(Column(comparison.Column, columns, alias)).Append(' ').Append(OperatorSql(comparison.Operator)).Append(' ')
                    .Append(parameter(comparison.Value.Text)).Append(')');
                break;
            case FilterNullTest test:
                sql.Append('(').Append(Column(test.Column, columns, alias)).Append(test.Negated ? " IS NOT NULL)" : " IS NULL)");
                break;
            case FilterMembership membership:
                sql.Append('(').Append(Column(membership.Column, columns, alias)).Append(membership.Negated ? " NOT IN (" : " IN (")
                    .AppendJoin(", ", membership.Values.Select(v => parameter(v.Text))).Append("))");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node.");
        }
    }

    private static void Binary(
        StringBuilder sql, FilterExpression left, string op, FilterExpression right, IReadOnlyCollection<string> columns, string alias, Func<string, string> parameter)
    {
        sql.Append('(');
        Append(sql, left, columns, alias, parameter);
        sql.Append(op);
        Append(sql, right, columns, alias, parameter);
        sql.Append(')');
    }

    private static string Column(FilterColumn column, IReadOnlyCollection<string> columns, string alias) =>
        columns.Contains(column.Name, StringComparer.Ordinal)
            ? alias + "." + SqlNames.Quote(column.Name)
            : throw new InvalidFilterException($"the table has no column '{column.Name}'", column.Position);

    private static string OperatorSql(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Less => "<",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.Greater => ">",
        _ => ">=",
    };
}

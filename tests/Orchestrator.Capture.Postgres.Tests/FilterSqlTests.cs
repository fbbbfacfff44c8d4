using Orchestrator.Abstractions.Filters;
using Orchestrator.Capture.Postgres.Backfills;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A parsed filter compiles to SQL with quoted, checked columns and every literal as a parameter.</summary>
public sealed class FilterSqlTests
{
    private static (string Sql, List<string> Parameters) Compile(string filter, params string[] columns)
    {
        var parameters = new List<string>();
        var sql = FilterSql.Compile(FilterParser.Parse(filter), columns, "t", text =>
        {
            parameters.Add(text);
            return "$" + parameters.Count;
        });
        return (sql, parameters);
    }

    [Fact]
    public void Every_node_compiles_to_parenthesised_sql_with_quoted_columns_and_parameters()
    {
        var (sql, parameters) = Compile("a = 1 or not (b is null and c not in ('x', 2)) and d >= 'q' and a <> 3 and b is not null and c in (true)", "a", "b", "c", "d");

        Assert.Equal(
            """((t."a" = $1) OR (((((NOT ((t."b" IS NULL) AND (t."c" NOT IN ($2, $3)))) AND (t."d" >= $4)) AND (t."a" <> $5)) AND (t."b" IS NOT NULL)) AND (t."c" IN ($6))))""",
            sql);
        Assert.Equal(["1", "x", "2", "q", "3", "true"], parameters);
    }

    [Theory]
    [InlineData("a < 1", "<")]
    [InlineData("a <= 1", "<=")]
    [InlineData("a > 1", ">")]
    [InlineData("a != 1", "<>")]
    public void Each_operator_keeps_its_meaning(string filter, string op) =>
        Assert.Equal($"""(t."a" {op} $1)""", Compile(filter, "a").Sql);

    [Fact]
    public void A_quoted_column_with_quotes_stays_one_identifier_and_a_literal_never_reaches_the_sql()
    {
        var (sql, parameters) = Compile("\"we\"\"ird\" = 'x''); DROP TABLE t; --'", "we\"ird");

        Assert.Equal("""(t."we""ird" = $1)""", sql);
        Assert.Equal(["x'); DROP TABLE t; --"], parameters);
    }

    [Fact]
    public void A_column_the_table_lacks_is_refused_at_its_position()
    {
        var e = Assert.Throws<InvalidFilterException>(() => Compile("a = 1 and \"A\" = 2", "a"));

        Assert.Equal((11, "the table has no column 'A'"), (e.Position, e.Problem));
    }
}

using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Abstractions.Tests;

/// <summary>The filter language parses to the expected tree, with SQL's precedence, and names every problem's position.</summary>
public sealed class FilterParserTests
{
    private static FilterColumn C(string name, int position) => new(name, position);

    private static FilterLiteral Text(string text, int position) => new(FilterLiteralKind.Text, text, position);

    private static FilterLiteral Number(string text, int position) => new(FilterLiteralKind.Number, text, position);

    [Theory]
    [InlineData("a = 1", FilterOperator.Equal)]
    [InlineData("a != 1", FilterOperator.NotEqual)]
    [InlineData("a <> 1", FilterOperator.NotEqual)]
    [InlineData("a < 1", FilterOperator.Less)]
    [InlineData("a <= 1", FilterOperator.LessOrEqual)]
    [InlineData("a > 1", FilterOperator.Greater)]
    [InlineData("a >= 1", FilterOperator.GreaterOrEqual)]
    public void Every_comparison_operator_parses(string text, FilterOperator op) =>
        Assert.Equal(new FilterComparison(C("a", 1), op, Number("1", text.Length)), FilterParser.Parse(text));

    [Fact]
    public void Literals_keep_their_kind_and_text()
    {
        Assert.Equal(new FilterComparison(C("s", 1), FilterOperator.Equal, Text("it's", 5)), FilterParser.Parse("s = 'it''s'"));
        Assert.Equal(new FilterComparison(C("n", 1), FilterOperator.Less, Number("-12.5e3", 5)), FilterParser.Parse("n < -12.5e3"));
        Assert.Equal(new FilterComparison(C("b", 1), FilterOperator.Equal, new FilterLiteral(FilterLiteralKind.Boolean, "true", 5)), FilterParser.Parse("b = TRUE"));
        Assert.Equal(new FilterComparison(C("n", 1), FilterOperator.Greater, Number(".5", 5)), FilterParser.Parse("n > .5"));
    }

    [Fact]
    public void Null_tests_and_in_lists_parse_with_their_negations()
    {
        Assert.Equal(new FilterNullTest(C("deleted_at", 1), false), FilterParser.Parse("deleted_at is null"));
        Assert.Equal(new FilterNullTest(C("deleted_at", 1), true), FilterParser.Parse("deleted_at IS NOT NULL"));
        Assert.Equal(new FilterMembership(C("s", 1), [Text("a", 7), Number("2", 12)], false), FilterParser.Parse("s in ('a', 2)"));
        Assert.Equal(new FilterMembership(C("s", 1), [Text("a", 11)], true), FilterParser.Parse("s not in ('a')"));
    }

    [Fact]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or()
    {
        var parsed = FilterParser.Parse("a = 1 or not b = 2 and c = 3");

        var or = Assert.IsType<FilterOr>(parsed);
        Assert.IsType<FilterComparison>(or.Left);
        var and = Assert.IsType<FilterAnd>(or.Right);
        Assert.IsType<FilterNot>(and.Left);
        Assert.IsType<FilterComparison>(and.Right);
    }

    [Fact]
    public void Parentheses_override_precedence_and_chains_are_left_associative()
    {
        var and = Assert.IsType<FilterAnd>(FilterParser.Parse("(a = 1 or b = 2) and c = 3"));
        Assert.IsType<FilterOr>(and.Left);

        var chain = Assert.IsType<FilterOr>(FilterParser.Parse("a = 1 or b = 2 or c = 3"));
        Assert.IsType<FilterOr>(chain.Left);
        Assert.Equal(C("c", 19), Assert.IsType<FilterComparison>(chain.Right).Column);
    }

    [Fact]
    public void Unquoted_columns_fold_to_lower_case_and_quoted_ones_are_exact()
    {
        Assert.Equal(C("status", 1), Assert.IsType<FilterComparison>(FilterParser.Parse("Status = 'x'")).Column);
        Assert.Equal(C("Odd \"Name\"", 1), Assert.IsType<FilterComparison>(FilterParser.Parse("\"Odd \"\"Name\"\"\" = 'x'")).Column);
        Assert.Equal(C("and", 1), Assert.IsType<FilterNullTest>(FilterParser.Parse("\"and\" is null")).Column);
    }

    [Theory]
    [InlineData("", 1, "the filter is empty")]
    [InlineData("   ", 1, "the filter is empty")]
    [InlineData("a =", 4, "expected a literal")]
    [InlineData("a = 'open", 5, "unterminated string")]
    [InlineData("\"a = 1", 1, "unterminated quoted name")]
    [InlineData("a = 1 and", 10, "expected a column")]
    [InlineData("a = 1 b = 2", 7, "expected 'and', 'or' or the end")]
    [InlineData("(a = 1", 7, "expected ')'")]
    [InlineData("a = 1)", 6, "expected 'and', 'or' or the end")]
    [InlineData("a is 1", 6, "expected 'null'")]
    [InlineData("a = null", 5, "is null")]
    [InlineData("a in (1,", 9, "expected a literal")]
    [InlineData("a in 1", 6, "expected '('")]
    [InlineData("a like 'x%'", 3, "expected an operator")]
    [InlineData("a ! 1", 3, "'!' must be followed by '='")]
    [InlineData("a = 1; drop table t", 6, "unexpected character ';'")]
    [InlineData("and = 1", 1, "keyword 'and'")]
    [InlineData("a = 12abc", 7, "a number must not run into a name")]
    [InlineData("a = 1e", 5, "exponent")]
    [InlineData("= 1", 1, "expected a column")]
    public void A_bad_filter_is_refused_with_the_position_of_the_problem(string text, int position, string problem)
    {
        var e = Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(text));

        Assert.Equal(position, e.Position);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.EndsWith($"(at character {position})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_inside_a_string_stays_one_literal()
    {
        var parsed = FilterParser.Parse("name = 'x'' or 1=1; drop table t; --'");

        Assert.Equal(Text("x' or 1=1; drop table t; --", 8), Assert.IsType<FilterComparison>(parsed).Value);
    }

    [Fact]
    public void A_filter_nested_deeper_than_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var atLimit = string.Concat(Enumerable.Repeat("not ", FilterParser.MaxDepth)) + "a = 1";
        var tooDeep = "not " + atLimit;
        var parens = new string('(', FilterParser.MaxDepth + 1) + "a = 1" + new string(')', FilterParser.MaxDepth + 1);

        Assert.IsType<FilterNot>(FilterParser.Parse(atLimit));
        Assert.Contains("nest more than 64 deep", Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(tooDeep)).Problem, StringComparison.Ordinal);
        Assert.Equal(FilterParser.MaxDepth + 1, Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(parens)).Position);
    }

    [Fact]
    public void A_filter_longer_than_the_limit_is_refused_before_it_is_read()
    {
        var chain = string.Join(" and ", Enumerable.Repeat("a = 1", 1000));

        var e = Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(chain));

        Assert.Contains($"at most {FilterParser.MaxLength} are accepted", e.Problem, StringComparison.Ordinal);
    }
}

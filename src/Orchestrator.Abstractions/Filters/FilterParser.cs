namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// Parses the filter language. Grammar (keywords in any case; <c>not</c> binds tighter than <c>and</c>, which binds
/// tighter than <c>or</c>):
/// <code>
/// filter     := or
/// or         := and ('or' and)*
/// and        := unary ('and' unary)*
/// unary      := 'not' unary | '(' or ')' | 'changed' '(' name ')' | predicate
/// predicate  := column ( op literal | 'is' ['not'] 'null' | ['not'] 'in' '(' literal (',' literal)* ')' )
/// op         := '=' | '==' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
/// literal    := 'text' | number | 'true' | 'false'
/// column     := [('old' | 'new') '.'] name
/// name       := name | "quoted name"
/// </code>
/// <c>=</c> and <c>==</c> are the same. <c>old.</c>, <c>new.</c> and <c>changed(…)</c> are for link filters, which
/// see a change; a backfill's compiler refuses them. Pure: no database, so it is unit-tested alone and shared by
/// every compiler of filters.
/// </summary>
public sealed class FilterParser
{
    /// <summary>The longest filter accepted, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>How deeply <c>not</c> and parentheses may nest.</summary>
    public const int MaxDepth = 64;

    private static readonly string[] Keywords = ["and", "or", "not", "is", "null", "in", "true", "false"];

    private readonly List<FilterToken> _tokens;
    private int _next;
    private int _depth;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    private FilterToken Current => _tokens[_next];

    private FilterToken Peek => _tokens[Math.Min(_next + 1, _tokens.Count - 1)];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="InvalidFilterException"/> with the position of the problem.</summary>
    public static FilterExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            // Compiling a filter walks its tree recursively: a bound on its size keeps that walk within the stack.
            throw new InvalidFilterException($"the filter is {text.Length} characters long; at most {MaxLength} are accepted", MaxLength + 1);
        }

        var parser = new FilterParser(FilterLexer.Read(text));
        if (parser.Current.Kind == FilterTokenKind.End)
        {
            throw new InvalidFilterException("the filter is empty", 1);
        }

        var filter = parser.Or();
        return parser.Current.Kind == FilterTokenKind.End
            ? filter
            : throw new InvalidFilterException($"expected 'and', 'or' or the end, found {parser.Current.Shown}", parser.Current.Position);
    }

    private FilterExpression Or()
    {
        var left = And();
        while (Current.Is("or"))
        {
            _next++;
            left = new FilterOr(left, And());
        }

        return left;
    }

    private FilterExpression And()
    {
        var left = Unary();
        while (Current.Is("and"))
        {
            _next++;
            left = new FilterAnd(left, Unary());
        }

        return left;
    }

    private FilterExpression Unary()
    {
        if (Current.Is("changed") && Peek.Kind == FilterTokenKind.Open)
        {
            return Changed();
        }

        if (!Current.Is("not") && Current.Kind != FilterTokenKind.Open)
        {
            return Predicate();
        }

        if (++_depth > MaxDepth)
        {
            throw new InvalidFilterException($"'not' and parentheses nest more than {MaxDepth} deep", Current.Position);
        }

        FilterExpression nested;
        if (Current.Is("not"))
        {
            _next++;
            nested = new FilterNot(Unary());
        }
        else
        {
            _next++;
            nested = Or();
            Expect(FilterTokenKind.Close, "')'");
        }

        _depth--;
        return nested;
    }

    private FilterExpression Predicate()
    {
        var column = Column();
        var token = Current;
        if (token.Kind == FilterTokenKind.Operator)
        {
            _next++;
            return new FilterComparison(column, OperatorOf(token.Text), Literal());
        }

        if (token.Is("is"))
        {
            _next++;
            var negated = Skip("not");
            ExpectKeyword("null");
            return new FilterNullTest(column, negated);
        }

        var notIn = Skip("not");
        if (!Current.Is("in"))
        {
            throw new InvalidFilterException($"expected an operator, 'is' or 'in' after column '{column.Name}', found {Current.Shown}", Current.Position);
        }

        _next++;
        Expect(FilterTokenKind.Open, "'('");
        var values = new List<FilterLiteral> { Literal() };
        while (Current.Kind == FilterTokenKind.Comma)
        {
            _next++;
            values.Add(Literal());
        }

        Expect(FilterTokenKind.Close, "',' or ')'");
        return new FilterMembership(column, values, notIn);
    }

    private FilterChanged Changed()
    {
        var position = Current.Position;
        _next += 2;
        var column = Column();
        if (column.Row != FilterRow.Event)
        {
            throw new InvalidFilterException("changed() takes a bare column: it compares the old row's value with the new row's", column.Position);
        }

        Expect(FilterTokenKind.Close, "')'");
        return new FilterChanged(column, position);
    }

    private FilterColumn Column()
    {
        var token = Current;
        var row = FilterRow.Event;
        if ((token.Is("old") || token.Is("new")) && Peek.Kind == FilterTokenKind.Dot)
        {
            row = token.Is("old") ? FilterRow.Old : FilterRow.New;
            _next += 2;
        }

        var name = Current;
        switch (name.Kind)
        {
            case FilterTokenKind.QuotedName when name.Text.Length > 0:
                _next++;
                return new FilterColumn(name.Text, token.Position, row);
            case FilterTokenKind.Name when !Keywords.Any(name.Is):
                _next++;
                return new FilterColumn(name.Text.ToLowerInvariant(), token.Position, row);
            case FilterTokenKind.Name:
                throw new InvalidFilterException($"expected a column, found the keyword '{name.Text}' (quote a column of that name: \"{name.Text}\")", name.Position);
            default:
                throw new InvalidFilterException($"expected a column, found {name.Shown}", name.Position);
        }
    }

    private FilterLiteral Literal()
    {
        var token = Current;
        _next++;
        return token switch
        {
            { Kind: FilterTokenKind.String } => new FilterLiteral(FilterLiteralKind.Text, token.Text, token.Position),
            { Kind: FilterTokenKind.Number } => new FilterLiteral(FilterLiteralKind.Number, token.Text, token.Position),
            _ when token.Is("true") || token.Is("false") => new FilterLiteral(FilterLiteralKind.Boolean, token.Text.ToLowerInvariant(), token.Position),
            _ when token.Is("null") => throw new InvalidFilterException("compare with null by 'is null' or 'is not null'", token.Position),
            _ => throw new InvalidFilterException($"expected a literal (a 'string', a number, true or false), found {token.Shown}", token.Position),
        };
    }

    private static FilterOperator OperatorOf(string text) => text switch
    {
        "=" or "==" => FilterOperator.Equal,
        "!=" or "<>" => FilterOperator.NotEqual,
        "<" => FilterOperator.Less,
        "<=" => FilterOperator.LessOrEqual,
        ">" => FilterOperator.Greater,
        _ => FilterOperator.GreaterOrEqual,
    };

    private bool Skip(string keyword)
    {
        if (!Current.Is(keyword))
        {
            return false;
        }

        _next++;
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Skip(keyword))
        {
            throw new InvalidFilterException($"expected '{keyword}', found {Current.Shown}", Current.Position);
        }
    }

    private void Expect(FilterTokenKind kind, string shown)
    {
        if (Current.Kind != kind)
        {
            throw new InvalidFilterException($"expected {shown}, found {Current.Shown}", Current.Position);
        }

        _next++;
    }
}

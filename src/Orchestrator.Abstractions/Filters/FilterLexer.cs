using System.Text;

namespace Orchestrator.Abstractions.Filters;

/// <summary>Splits a filter into tokens; every problem is an <see cref="InvalidFilterException"/> with its position.</summary>
internal static class FilterLexer
{
    public static List<FilterToken> Read(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new(FilterTokenKind.Name, text[start..i], start + 1));
            }
            else if (c is '\'' or '"')
            {
                var start = i;
                var content = Quoted(text, ref i);
                tokens.Add(new(c == '\'' ? FilterTokenKind.String : FilterTokenKind.QuotedName, content, start + 1));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '.' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                var start = i;
                tokens.Add(new(FilterTokenKind.Number, Number(text, ref i), start + 1));
            }
            else if (c == '.')
            {
                tokens.Add(new(FilterTokenKind.Dot, ".", i + 1));
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new(c switch { '(' => FilterTokenKind.Open, ')' => FilterTokenKind.Close, _ => FilterTokenKind.Comma }, c.ToString(), i + 1));
                i++;
            }
            else if (c is '=' or '<' or '>' or '!')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                var op = two is "<=" or ">=" or "<>" or "!=" or "==" ? two : c == '!' ? throw new InvalidFilterException("'!' must be followed by '='", i + 1) : c.ToString();
                tokens.Add(new(FilterTokenKind.Operator, op, i + 1));
                i += op.Length;
            }
            else
            {
                throw new InvalidFilterException($"unexpected character '{c}'", i + 1);
            }
        }

        tokens.Add(new(FilterTokenKind.End, "", text.Length + 1));
        return tokens;
    }

    // A quoted string or name: the quote doubled inside stands for itself.
    private static string Quoted(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        var content = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new InvalidFilterException(quote == '\'' ? "unterminated string" : "unterminated quoted name", start + 1);
            }

            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    content.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return content.ToString();
            }

            content.Append(text[i++]);
        }
    }

    private static string Number(string text, ref int i)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        var digits = Digits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            digits += Digits(text, ref i);
        }

        if (digits == 0)
        {
            throw new InvalidFilterException("a number needs digits", start + 1);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (Digits(text, ref i) == 0)
            {
                throw new InvalidFilterException("a number's exponent needs digits", start + 1);
            }
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            throw new InvalidFilterException("a number must not run into a name", i + 1);
        }

        return text[start..i];
    }

    private static int Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}

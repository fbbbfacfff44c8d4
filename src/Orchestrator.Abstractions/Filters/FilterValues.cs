using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.Abstractions.Filters;

/// <summary>
/// The values a link filter compares, with Postgres' semantics per <see cref="FilterColumnType"/>: a literal typed
/// by its column (refused at its position when it does not fit), a column's value read from <c>to_jsonb(row)</c>,
/// and their order. Numeric values are decimals (NaN above every number, as in Postgres), floats keep their own
/// precision, text compares by code point, timestamps with a zone compare as instants.
/// </summary>
public static partial class FilterValues
{
    /// <summary>The literal as a value of <paramref name="type"/>; throws <see cref="InvalidFilterException"/> when it does not fit.</summary>
    public static IComparable Literal(FilterColumnType type, FilterColumn column, FilterLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(literal);
        var expected = type switch
        {
            FilterColumnType.Numeric or FilterColumnType.Real or FilterColumnType.DoublePrecision => FilterLiteralKind.Number,
            FilterColumnType.Boolean => FilterLiteralKind.Boolean,
            FilterColumnType.Other => throw new InvalidFilterException(
                $"column '{column.Name}' can only be tested with 'is null' or changed(); comparisons take numeric, text, boolean and timestamp columns", column.Position),
            _ => FilterLiteralKind.Text,
        };
        if (literal.Kind != expected)
        {
            throw new InvalidFilterException($"column '{column.Name}' is {Describe(type)}; it cannot be compared with {Describe(literal.Kind)}", literal.Position);
        }

        return type switch
        {
            FilterColumnType.Numeric => decimal.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? new FilterNumber(0, n)
                : throw new InvalidFilterException($"the number {literal.Text} is out of the range a filter compares exactly", literal.Position),
            FilterColumnType.Real => Float(literal, float.Parse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            FilterColumnType.DoublePrecision => Float(literal, double.Parse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            FilterColumnType.Boolean => literal.Text == "true",
            FilterColumnType.Text => literal.Text.Contains('\0', StringComparison.Ordinal)
                ? throw new InvalidFilterException("a text cannot hold a NUL character", literal.Position)
                : new FilterText(literal.Text),
            _ => Timestamp(type, column, literal),
        };
    }

    /// <summary>The value of a column of <paramref name="type"/> as <c>to_jsonb</c> wrote it; null for one this filter cannot read.</summary>
    public static IComparable? Read(FilterColumnType type, JsonElement value) => type switch
    {
        FilterColumnType.Numeric => value.ValueKind == JsonValueKind.Number
            ? new FilterNumber(0, value.TryGetDecimal(out var n) ? n : value.GetDouble() < 0 ? decimal.MinValue : decimal.MaxValue)
            : Special(value.GetString()) is { } rank ? new FilterNumber(rank, 0) : null,
        FilterColumnType.Real => value.ValueKind == JsonValueKind.Number ? new FilterFloat(value.GetSingle()) : SpecialFloat(value.GetString()),
        FilterColumnType.DoublePrecision => value.ValueKind == JsonValueKind.Number ? new FilterFloat(value.GetDouble()) : SpecialFloat(value.GetString()),
        FilterColumnType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
        FilterColumnType.Text => value.ValueKind == JsonValueKind.String ? new FilterText(value.GetString()!) : null,
        FilterColumnType.Timestamp or FilterColumnType.TimestampTz when value.ValueKind == JsonValueKind.String => Stamp(type, value.GetString()!),
        _ => null,
    };

    /// <summary>
    /// Whether two values of a column differ, as <c>IS DISTINCT FROM</c>: nulls equal each other and differ from any
    /// value; other types compare their JSON text, as <c>to_jsonb(old)::text IS DISTINCT FROM to_jsonb(new)::text</c>.
    /// </summary>
    public static bool Distinct(FilterColumnType type, JsonElement? old, JsonElement? @new)
    {
        if (old is not { } a || @new is not { } b)
        {
            return old.HasValue != @new.HasValue;
        }

        return type == FilterColumnType.Other
            ? !string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal)
            : Read(type, a) is not { } x || Read(type, b) is not { } y || x.CompareTo(y) != 0;
    }

    /// <summary>The literal as Postgres reads it back in a trigger's <c>WHEN</c>: quoted where needed, cast to the column's kind.</summary>
    public static string Sql(FilterColumnType type, IComparable value) => value switch
    {
        bool b => b ? "true" : "false",
        FilterNumber n => Quoted(n.Value.ToString(CultureInfo.InvariantCulture)) + "::numeric",
        FilterFloat f => Quoted(f.Value.ToString("R", CultureInfo.InvariantCulture)) + (type == FilterColumnType.Real ? "::real" : "::double precision"),
        FilterText t => Quoted(t.Value) + "::text",
        DateTime d when type == FilterColumnType.Timestamp => Quoted(d.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture)) + "::timestamp without time zone",
        DateTime d => Quoted(d.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00:00") + "::timestamp with time zone",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a filter value."),
    };

    private static IComparable? Stamp(FilterColumnType type, string text) => text switch
    {
        "infinity" => DateTime.MaxValue,
        "-infinity" => DateTime.MinValue,
        _ when type == FilterColumnType.Timestamp => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) ? local : null,
        _ => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) ? instant.UtcDateTime : null,
    };

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static FilterFloat Float(FilterLiteral literal, double value) =>
        double.IsFinite(value) && (value != 0 || !literal.Text.Any(c => c is >= '1' and <= '9'))
            ? new FilterFloat(value)
            : throw new InvalidFilterException($"the number {literal.Text} is out of the column's range", literal.Position);

    private static int? Special(string? text) => text switch
    {
        "-Infinity" => -1,
        "Infinity" => 1,
        "NaN" => 2,
        _ => null,
    };

    private static FilterFloat? SpecialFloat(string? text) => text switch
    {
        "-Infinity" => new FilterFloat(double.NegativeInfinity),
        "Infinity" => new FilterFloat(double.PositiveInfinity),
        "NaN" => new FilterFloat(double.NaN),
        _ => null,
    };

    private static DateTime Timestamp(FilterColumnType type, FilterColumn column, FilterLiteral literal)
    {
        var match = TimestampPattern().Match(literal.Text);
        var zoned = type == FilterColumnType.TimestampTz;
        if (!match.Success || match.Groups["zone"].Success != zoned)
        {
            throw new InvalidFilterException(
                $"column '{column.Name}' is {Describe(type)}; write the literal as 'YYYY-MM-DD[THH:MM[:SS[.ffffff]]]'{(zoned ? " with its offset (Z or +HH:MM)" : " without an offset")}",
                literal.Position);
        }

        var time = match.Groups["time"].Success ? match.Groups["time"].Value : "00:00";
        var text = $"{match.Groups["date"].Value}T{(time.Length == 5 ? time + ":00" : time)}";
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new InvalidFilterException($"'{literal.Text}' is not a valid date and time", literal.Position);
        }

        if (!zoned)
        {
            return local;
        }

        var zone = match.Groups["zone"].Value;
        var offset = zone is "Z" or "z" ? TimeSpan.Zero : ParseOffset(zone);
        return offset.Duration() <= TimeSpan.FromHours(14)
            ? new DateTimeOffset(local, offset).UtcDateTime
            : throw new InvalidFilterException($"the offset {zone} is out of range", literal.Position);
    }

    private static TimeSpan ParseOffset(string zone)
    {
        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var offset = new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0, 0);
        return zone[0] == '-' ? -offset : offset;
    }

    private static string Describe(FilterColumnType type) => type switch
    {
        FilterColumnType.Numeric or FilterColumnType.Real or FilterColumnType.DoublePrecision => "a number",
        FilterColumnType.Text => "text",
        FilterColumnType.Boolean => "a boolean",
        FilterColumnType.Timestamp => "a timestamp without time zone",
        FilterColumnType.TimestampTz => "a timestamp with time zone",
        _ => "of a type filters do not compare",
    };

    private static string Describe(FilterLiteralKind kind) => kind switch
    {
        FilterLiteralKind.Number => "a number",
        FilterLiteralKind.Boolean => "true or false",
        _ => "a 'text' literal",
    };

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(?:[Tt ](?<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?(?<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}

namespace Orchestrator.Abstractions.Filters;

/// <summary>How a link filter compares a column's values, from the column's Postgres type.</summary>
public enum FilterColumnType
{
    /// <summary>Any other type (uuid, date, json, arrays, domains, …): only <c>is null</c> and <c>changed()</c>.</summary>
    Other,

    /// <summary><c>smallint</c>, <c>integer</c>, <c>bigint</c>, <c>numeric</c>: compared exactly, as numbers.</summary>
    Numeric,

    /// <summary><c>real</c>: compared as single-precision floats (NaN equals NaN and is above every number).</summary>
    Real,

    /// <summary><c>double precision</c>: compared as double-precision floats.</summary>
    DoublePrecision,

    /// <summary><c>text</c>, <c>character varying</c>, <c>name</c>: compared by code point (<c>COLLATE "C"</c>).</summary>
    Text,

    /// <summary><c>boolean</c> (false is below true).</summary>
    Boolean,

    /// <summary><c>timestamp without time zone</c>: literals name no offset.</summary>
    Timestamp,

    /// <summary><c>timestamp with time zone</c>: literals name their offset (<c>Z</c> or <c>+02:00</c>), compared as instants.</summary>
    TimestampTz,
}

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// The statement that copies one page of a backfill: the next rows in primary-key order after the cursor (the last
/// key copied, as JSON, read back into the table's own types) that match the filter, logged as <c>read</c> events
/// with the trigger's row JSON and queue. The rows are share-locked: a page waits for a change of one of its rows
/// that is not committed yet (and reads the committed version), and a change waits for the page, so a row's read
/// event and its change events are logged in the order they happened. The page's last key is fixed before any row
/// is locked, and the cursor moves to it: a row whose key a change moves while the page waits comes back under its
/// new key, and without that bound it could carry the cursor past rows not read yet (rechecked against the bound,
/// it is left to the page its new key falls in; its change is logged anyway). It returns how many rows it copied,
/// the new cursor, the queues to wake and how many rows the page's bound took in (fewer than the page size: the
/// last page). Parameters: $1 cursor (jsonb, null at the start), $2 page size, $3 input id,
/// $4 key columns, $5 queue count, $6 schema, $7 table, $8 links; the filter's literals follow from $9.
/// </summary>
internal static class BackfillPageSql
{
    public static string Build(string schema, string table, IReadOnlyList<string> keyColumns, string? filterSql)
    {
        var keys = keyColumns.Select(SqlNames.Quote).ToList();
        var tableKey = string.Join(", ", keys.Select(k => "t." + k));
        var cursorKey = string.Join(", ", keys.Select(k => "c." + k));
        var selected = string.Join(", ", keys.Select((k, i) => $"t.{k} AS _k{i}"));
        var ascending = string.Join(", ", keys.Select((_, i) => $"_k{i}"));
        var descending = string.Join(", ", keys.Select((_, i) => $"_k{i} DESC"));
        var qualified = SqlNames.Table(schema, table);
        var bound = string.Join(", ", keys.Select((_, i) => $"b._k{i}"));
        var after = $"($1::jsonb IS NULL OR ({tableKey}) > (SELECT {cursorKey} FROM jsonb_populate_record(NULL::{qualified}, $1::jsonb) c))";
        return $"""
            WITH bound AS MATERIALIZED (
                SELECT {selected}, to_jsonb(t) AS r
                  FROM {qualified} t
                 WHERE {after} AND ({filterSql ?? "true"})
                 ORDER BY {ascending}
                 LIMIT $2),
            last AS (SELECT * FROM bound ORDER BY {descending} LIMIT 1),
            page AS MATERIALIZED (
                SELECT {selected}, to_jsonb(t) AS r
                  FROM {qualified} t
                 WHERE {after} AND ({tableKey}) <= (SELECT {bound} FROM last b) AND ({filterSql ?? "true"})
                 ORDER BY {ascending}
                   FOR SHARE OF t),
            logged AS (
                INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, new_row, txid, links, row_key)
                SELECT $3, orchestrator.queue_of(r, $4::text[], $5), $6, $7, 'read', r, pg_current_xact_id()::text::bigint, $8::text[],
                       orchestrator.row_key_of($6, $7, r, $4::text[])
                  FROM page ORDER BY {ascending}
                RETURNING queue_id)
            SELECT (SELECT count(*) FROM page)::integer,
                   (SELECT jsonb_object_agg(k, last.r -> k) FROM last, unnest($4::text[]) AS k),
                   ARRAY(SELECT DISTINCT queue_id FROM logged),
                   (SELECT count(*) FROM bound)::integer
            """;
    }
}

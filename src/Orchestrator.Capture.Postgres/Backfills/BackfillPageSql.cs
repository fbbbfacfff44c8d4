namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>
/// The statement that copies one page of a backfill: the next rows in primary-key order after the cursor (the last
/// key copied, as JSON, read back into the table's own types) that match the filter, logged as <c>read</c> events
/// with the trigger's row JSON and queue. The rows are share-locked: a page waits for a change of one of its rows
/// that is not committed yet (and reads the committed version), and a change waits for the page, so a row's read
/// event and its change events are logged in the order they happened. It returns how many rows it copied, the new
/// cursor and the queues to wake. Parameters: $1 cursor (jsonb, null at the start), $2 page size, $3 input id,
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
        return $"""
            WITH page AS MATERIALIZED (
                SELECT {selected}, to_jsonb(t) AS r
                  FROM {qualified} t
                 WHERE ($1::jsonb IS NULL OR ({tableKey}) > (SELECT {cursorKey} FROM jsonb_populate_record(NULL::{qualified}, $1::jsonb) c))
                   AND ({filterSql ?? "true"})
                 ORDER BY {ascending}
                 LIMIT $2
                   FOR SHARE OF t),
            logged AS (
                INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, new_row, txid, links)
                SELECT $3, orchestrator.queue_of(r, $4::text[], $5), $6, $7, 'read', r, pg_current_xact_id()::text::bigint, $8::text[]
                  FROM page ORDER BY {ascending}
                RETURNING queue_id),
            last AS (SELECT r FROM page ORDER BY {descending} LIMIT 1)
            SELECT (SELECT count(*) FROM page)::integer,
                   (SELECT jsonb_object_agg(k, last.r -> k) FROM last, unnest($4::text[]) AS k),
                   ARRAY(SELECT DISTINCT queue_id FROM logged)
            """;
    }
}

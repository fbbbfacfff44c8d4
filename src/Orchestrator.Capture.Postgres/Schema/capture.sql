-- Orchestrator's capture schema in a watched database: the event log every capture trigger writes to, and the
-- trigger function. Every statement is safe to re-run; the installer runs this file under an advisory lock.
CREATE SCHEMA IF NOT EXISTS orchestrator;

-- One row per captured change. A row stays until every link consuming its input has been delivered its event:
-- readers lease rows (deliveries is the receipt of a read, visible_at the end of its lease) instead of keeping a
-- checkpoint, so a transaction that commits after a later id was read is never skipped. Ids follow insertion,
-- not commit, order.
CREATE TABLE IF NOT EXISTS orchestrator.event_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    input_id    text        NOT NULL,
    queue_id    integer     NOT NULL,
    schema_name text        NOT NULL,
    table_name  text        NOT NULL,
    operation   text        NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    old_row     jsonb,
    new_row     jsonb,
    txid        bigint      NOT NULL,
    captured_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    deliveries  integer     NOT NULL DEFAULT 0,
    visible_at  timestamptz NOT NULL DEFAULT '-infinity'
);

-- The dequeue walks one queue in id order and skips the rows still leased; the leased rows of a queue are few
-- (each receiver bounds what it holds), so (queue_id, id) serves both the order and the filter.
CREATE INDEX IF NOT EXISTS event_log_queue ON orchestrator.event_log (queue_id, id);

-- The row trigger. Arguments: the input id, the queue count, then the table's primary-key columns (none: the
-- whole row is its identity). The queue is a hash of the row's identity, so the changes of one row share a queue.
-- SECURITY DEFINER: the applications writing the watched tables need no rights on this schema.
CREATE OR REPLACE FUNCTION orchestrator.capture_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_old   jsonb;
    v_new   jsonb;
    v_row   jsonb;
    v_key   text := '';
    v_queue integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        v_old := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        v_new := to_jsonb(NEW);
    END IF;
    v_row := coalesce(v_new, v_old);
    IF TG_NARGS > 2 THEN
        FOR i IN 2 .. TG_NARGS - 1 LOOP
            v_key := v_key || coalesce(v_row ->> TG_ARGV[i], '') || chr(31);
        END LOOP;
    ELSE
        v_key := v_row::text;
    END IF;
    v_queue := (hashtext(v_key) & 2147483647) % TG_ARGV[1]::integer;
    INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, old_row, new_row, txid)
    VALUES (TG_ARGV[0], v_queue, TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), v_old, v_new, pg_current_xact_id()::text::bigint);
    PERFORM pg_notify('orchestrator_capture', v_queue::text);
    RETURN NULL;
END
$fn$;

-- Only the installer (the owner) attaches the function to tables; firing a trigger needs no EXECUTE right.
REVOKE EXECUTE ON FUNCTION orchestrator.capture_change() FROM PUBLIC;

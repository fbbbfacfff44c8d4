-- Orchestrator's capture schema: the event log every capture trigger writes to, in the watched database.
CREATE SCHEMA IF NOT EXISTS orchestrator;

-- One row per captured change. The row stays until every link consuming its input has recorded a job for it:
-- readers lease rows (deliveries, visible_at) instead of keeping a checkpoint, so a transaction that commits
-- after a later id was read is never skipped.
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

CREATE INDEX IF NOT EXISTS event_log_queue ON orchestrator.event_log (queue_id, id);

-- The row trigger. Arguments: input id, queue count, then the primary-key columns (none: the whole row is the
-- identity). The queue is a hash of the row's identity, so changes of one row always share a queue.
CREATE OR REPLACE FUNCTION orchestrator.capture_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    v_old   jsonb;
    v_new   jsonb;
    v_key   text := '';
    v_queue integer;
    i       integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        v_old := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        v_new := to_jsonb(NEW);
    END IF;
    IF TG_NARGS > 2 THEN
        FOR i IN 2 .. TG_NARGS - 1 LOOP
            v_key := v_key || coalesce(coalesce(v_new, v_old) ->> TG_ARGV[i], '') || chr(31);
        END LOOP;
    ELSE
        v_key := coalesce(v_new, v_old)::text;
    END IF;
    v_queue := (hashtext(v_key) & 2147483647) % TG_ARGV[1]::integer;
    INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, old_row, new_row, txid)
    VALUES (TG_ARGV[0], v_queue, TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), v_old, v_new, txid_current());
    PERFORM pg_notify('orchestrator_capture', v_queue::text);
    RETURN NULL;
END
$fn$;

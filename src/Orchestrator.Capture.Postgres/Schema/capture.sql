-- Orchestrator's capture schema in a watched database: the event log every capture trigger writes to, and the
-- trigger function. Every statement is safe to re-run; the installer runs this file under an advisory lock.
CREATE SCHEMA IF NOT EXISTS orchestrator;

-- One row per captured change, or per existing row a backfill read (operation 'read', links naming the links it
-- is for; null is every link of the input). A row stays until every link consuming its input has been delivered its event:
-- readers lease rows (deliveries is the receipt of a read, visible_at the end of its lease) instead of keeping a
-- checkpoint, so a transaction that commits after a later id was read is never skipped. Ids follow insertion,
-- not commit, order.
CREATE TABLE IF NOT EXISTS orchestrator.event_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    input_id    text        NOT NULL,
    queue_id    integer     NOT NULL,
    schema_name text        NOT NULL,
    table_name  text        NOT NULL,
    operation   text        NOT NULL CHECK (operation IN ('insert', 'update', 'delete', 'read')),
    old_row     jsonb,
    new_row     jsonb,
    txid        bigint      NOT NULL,
    captured_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    deliveries  integer     NOT NULL DEFAULT 0,
    visible_at  timestamptz NOT NULL DEFAULT '-infinity',
    links       text[]
);

-- Event logs made before backfills: add the links column and allow 'read' (the constraint is replaced only once).
ALTER TABLE orchestrator.event_log ADD COLUMN IF NOT EXISTS links text[];
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_constraint
                    WHERE conrelid = 'orchestrator.event_log'::regclass AND conname = 'event_log_operation_check'
                      AND pg_get_constraintdef(oid) LIKE '%''read''%') THEN
        ALTER TABLE orchestrator.event_log DROP CONSTRAINT IF EXISTS event_log_operation_check;
        ALTER TABLE orchestrator.event_log ADD CONSTRAINT event_log_operation_check
            CHECK (operation IN ('insert', 'update', 'delete', 'read'));
    END IF;
END
$do$;

-- The identity of the changed row (issue 9): its table and a hash of its key, the same identity the queue is
-- chosen by. Events of one row are in commit order by id (row locks serialise the row's writers, and the id is
-- taken in the AFTER trigger); the dequeue hands out an event of an input with per-row links only once no earlier
-- event of its row is left in the log. Null for events logged before this column existed: they are not held back.
ALTER TABLE orchestrator.event_log ADD COLUMN IF NOT EXISTS row_key text;

-- The dequeue walks one queue in id order and skips the rows still leased; the leased rows of a queue are few
-- (each receiver bounds what it holds), so (queue_id, id) serves both the order and the filter.
CREATE INDEX IF NOT EXISTS event_log_queue ON orchestrator.event_log (queue_id, id);
-- "Is an earlier event of this row still in the log?"
CREATE INDEX IF NOT EXISTS event_log_row ON orchestrator.event_log (row_key, id) WHERE row_key IS NOT NULL;

-- The identity of a row as text: its key columns' values (none: the whole row).
CREATE OR REPLACE FUNCTION orchestrator.row_identity(p_row jsonb, p_keys text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_key    text := '';
    v_column text;
BEGIN
    IF cardinality(p_keys) = 0 THEN
        RETURN p_row::text;
    END IF;
    FOREACH v_column IN ARRAY p_keys LOOP
        v_key := v_key || coalesce(p_row ->> v_column, '') || chr(31);
    END LOOP;
    RETURN v_key;
END
$fn$;

-- The queue of a row: a hash of its identity, so every event of one row, captured by the trigger or read by a
-- backfill, shares a queue and keeps its order.
CREATE OR REPLACE FUNCTION orchestrator.queue_of(p_row jsonb, p_keys text[], p_queues integer) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
RETURN (hashtext(orchestrator.row_identity(p_row, p_keys)) & 2147483647) % p_queues;

-- The row key events and jobs record: "schema.table:" and the md5 of the row's identity, bounded in length
-- whatever the key (a table without a primary key is identified by its whole row).
CREATE OR REPLACE FUNCTION orchestrator.row_key_of(p_schema text, p_table text, p_row jsonb, p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
RETURN p_schema || '.' || p_table || ':' || md5(orchestrator.row_identity(p_row, p_keys));

-- The row trigger. Arguments: the input id, the queue count, then the table's primary-key columns (none: the
-- whole row is its identity). The queue is a hash of the row's identity, so the changes of one row share a queue.
-- SECURITY DEFINER: the applications writing the watched tables need no rights on this schema.
CREATE OR REPLACE FUNCTION orchestrator.capture_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_old   jsonb;
    v_new   jsonb;
    v_queue integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        v_old := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        v_new := to_jsonb(NEW);
    END IF;
    v_queue := orchestrator.queue_of(coalesce(v_new, v_old), TG_ARGV[2:TG_NARGS - 1], TG_ARGV[1]::integer);
    INSERT INTO orchestrator.event_log (input_id, queue_id, schema_name, table_name, operation, old_row, new_row, txid, row_key)
    VALUES (TG_ARGV[0], v_queue, TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), v_old, v_new, pg_current_xact_id()::text::bigint,
            orchestrator.row_key_of(TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(v_new, v_old), TG_ARGV[2:TG_NARGS - 1]));
    PERFORM pg_notify('orchestrator_capture', v_queue::text);
    RETURN NULL;
END
$fn$;

-- Only the installer (the owner) attaches the function to tables; firing a trigger needs no EXECUTE right.
REVOKE EXECUTE ON FUNCTION orchestrator.capture_change() FROM PUBLIC;

-- One row per backfill: which rows of which table it reads as 'read' events, and how far it got. A page of events
-- and the cursor move (the last key copied) commit together, so a crash between pages neither misses nor doubles
-- a row; the runner holds the row locked (FOR UPDATE SKIP LOCKED) while it copies a page, so pages never overlap.
CREATE TABLE IF NOT EXISTS orchestrator.backfills (
    id          text        PRIMARY KEY,
    input_id    text        NOT NULL,
    schema_name text        NOT NULL,
    table_name  text        NOT NULL,
    key_columns text[]      NOT NULL CHECK (cardinality(key_columns) > 0),
    filter      text,
    links       text[],
    page_size   integer     NOT NULL CHECK (page_size > 0),
    cursor      jsonb,
    rows_done   bigint      NOT NULL DEFAULT 0,
    status      text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE INDEX IF NOT EXISTS backfills_running ON orchestrator.backfills (created_at) WHERE status = 'running';

-- The job records: one row per job, written by the job grain's storage provider (PostgresJobGrainStorage).
-- The columns are what queries filter and sort on; "record" is the whole record (event, transitions, runs) as the
-- grain keeps it. "version" is the ETag: a write names the version it read and moves it on by one.
CREATE SCHEMA IF NOT EXISTS orchestrator;

CREATE TABLE IF NOT EXISTS orchestrator.jobs (
    service_id     text        NOT NULL,
    job_id         text        NOT NULL,
    link_id        text        NOT NULL,
    process_id     text        NOT NULL,
    input_id       text        NOT NULL,
    schema_name    text        NOT NULL,
    table_name     text        NOT NULL,
    event_id       bigint      NOT NULL,
    status         text        NOT NULL,
    attempts       integer     NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    last_exit_code bigint,
    replay_of      text,
    version        integer     NOT NULL,
    record         jsonb       NOT NULL,
    PRIMARY KEY (service_id, job_id),
    CONSTRAINT jobs_status_known
        CHECK (status IN ('acknowledged', 'awaiting', 'executing', 'succeeded', 'failed', 'discarded')),
    CONSTRAINT jobs_finished_when_terminal
        CHECK ((status IN ('succeeded', 'failed', 'discarded')) = (finished_at IS NOT NULL)),
    CONSTRAINT jobs_attempts_not_negative CHECK (attempts >= 0)
);

-- Newest first, per link and status, and across links; the cursor is (created_at, job_id).
CREATE INDEX IF NOT EXISTS jobs_by_link_status ON orchestrator.jobs (service_id, link_id, status, created_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS jobs_by_created ON orchestrator.jobs (service_id, created_at DESC, job_id DESC);
CREATE INDEX IF NOT EXISTS jobs_by_event ON orchestrator.jobs (service_id, event_id);
-- The silo that last wrote the record (its Orleans address, generation included). An unfinished job whose silo is
-- no longer an active member of the cluster is carried on by the rescuer (JobRescuerGrain). Added after the table
-- was first shipped, so it is added here rather than in CREATE TABLE.
ALTER TABLE orchestrator.jobs ADD COLUMN IF NOT EXISTS silo text;

-- Unfinished jobs are few; the rescuer and operators look for them.
CREATE INDEX IF NOT EXISTS jobs_unfinished ON orchestrator.jobs (service_id, updated_at) WHERE finished_at IS NULL;
-- The rescuer pages through them by id.
CREATE INDEX IF NOT EXISTS jobs_unfinished_by_id ON orchestrator.jobs (service_id, job_id) WHERE finished_at IS NULL;
-- Retention deletes finished jobs per status, oldest first (JobRetention); unfinished rows are not in this index.
CREATE INDEX IF NOT EXISTS jobs_finished ON orchestrator.jobs (service_id, status, finished_at) WHERE finished_at IS NOT NULL;

-- Per link, the events its filter kept from making a job and the events a silo received for it after it was removed
-- from the graph (LinkCounters), added once per delivered batch; a batch delivered again after a crash may be counted
-- again.
CREATE TABLE IF NOT EXISTS orchestrator.link_counters (
    service_id text   NOT NULL,
    link_id    text   NOT NULL,
    filtered   bigint NOT NULL DEFAULT 0,
    skipped    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, link_id)
);
ALTER TABLE orchestrator.link_counters ADD COLUMN IF NOT EXISTS skipped bigint NOT NULL DEFAULT 0;

-- The row a job of a per-row link is for (the event's row key; null for jobs of parallel links, replay copies and
-- jobs written before issue 9). A per-row job runs only once every earlier job of its link and row has succeeded or
-- been discarded; the index answers "is an earlier one unresolved?", "which one comes next?" and, for coalescing,
-- "which job is just before this event?" and "which job absorbed it?".
ALTER TABLE orchestrator.jobs ADD COLUMN IF NOT EXISTS row_key text;
CREATE INDEX IF NOT EXISTS jobs_by_row ON orchestrator.jobs (service_id, link_id, row_key, event_id) WHERE row_key IS NOT NULL;

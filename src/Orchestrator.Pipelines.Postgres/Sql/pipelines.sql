-- The pipeline graph of each service (Orleans' service id) in its database: every applied version, and which version each silo runs.
-- Every statement is safe to re-run; the installer runs this file under an advisory lock.
CREATE SCHEMA IF NOT EXISTS orchestrator;

-- One row per applied version; the highest is the current graph. Rows are never changed. definition is the
-- pipelines file format, connection strings included (the database's access rules protect them).
CREATE TABLE IF NOT EXISTS orchestrator.pipeline_versions (
    service_id text        NOT NULL,
    version    bigint      NOT NULL CHECK (version > 0),
    definition jsonb       NOT NULL,
    applied_by text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, version)
);

-- The pipelines file a host last started with (its SHA-256), recorded once the graph took it in: a host restarted
-- with the same file keeps the changes made through the API since; a changed file is applied.
CREATE TABLE IF NOT EXISTS orchestrator.pipeline_files (
    service_id  text        PRIMARY KEY,
    file_hash   text        NOT NULL,
    version     bigint      NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- The version each silo has read, written by the silo itself each time it reads a newer one; a change is live once
-- every active silo reports it.
CREATE TABLE IF NOT EXISTS orchestrator.pipeline_silos (
    service_id text        NOT NULL,
    silo       text        NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, silo)
);

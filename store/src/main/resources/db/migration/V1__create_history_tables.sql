-- The history store's first schema. Everything here must run on DuckDB and PostgreSQL alike.
-- Rows are history, not desired state: nothing is deleted by the store except the file ledger
-- copy, which is replaced whole from the authoritative ledger in the destination.

-- Integer ids for the Watcher and Databasin APIs: one per object, counted per kind.
-- id_counters remembers the last id handed out, so an id stays burned even if old rows of
-- object_ids are ever purged.
CREATE TABLE id_counters (
    kind    VARCHAR PRIMARY KEY,
    last_id BIGINT  NOT NULL
);

CREATE TABLE object_ids (
    kind         VARCHAR     NOT NULL,
    id           BIGINT      NOT NULL,
    namespace    VARCHAR     NOT NULL,
    name         VARCHAR     NOT NULL,
    uid          VARCHAR     NOT NULL,
    allocated_at TIMESTAMPTZ NOT NULL,
    forgotten_at TIMESTAMPTZ,
    PRIMARY KEY (kind, id),
    UNIQUE (kind, uid)
);

-- Sync jobs. The unique (connection_uid, request_key) is what makes allocating a job
-- idempotent: a retried reconcile asks again with the same key and gets the same job.
CREATE SEQUENCE job_ids START 1;

CREATE TABLE jobs (
    id              BIGINT      PRIMARY KEY,
    namespace       VARCHAR     NOT NULL,
    connection_name VARCHAR     NOT NULL,
    connection_uid  VARCHAR     NOT NULL,
    source_name     VARCHAR     NOT NULL,
    request_key     VARCHAR     NOT NULL,
    job_type        VARCHAR     NOT NULL,
    status          VARCHAR     NOT NULL,
    full_refresh    BOOLEAN     NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    ended_at        TIMESTAMPTZ,
    rows_synced     BIGINT      NOT NULL,
    bytes_synced    BIGINT      NOT NULL,
    error           VARCHAR,
    result_json     VARCHAR,
    UNIQUE (connection_uid, request_key)
);

-- Activity log lines shown by the platform API. id orders lines that share a timestamp.
CREATE SEQUENCE log_ids START 1;

CREATE TABLE logs (
    id          BIGINT      PRIMARY KEY,
    logged_at   TIMESTAMPTZ NOT NULL,
    namespace   VARCHAR     NOT NULL,
    source_name VARCHAR,
    job_id      BIGINT,
    level       VARCHAR     NOT NULL,
    message     VARCHAR     NOT NULL
);

-- A copy of the CSV file ledger, per source stream, for listing files without opening the
-- destination.
CREATE TABLE file_ledger (
    namespace   VARCHAR     NOT NULL,
    source_name VARCHAR     NOT NULL,
    stream      VARCHAR     NOT NULL,
    path        VARCHAR     NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    modified_at TIMESTAMPTZ,
    row_count   BIGINT      NOT NULL,
    job_id      BIGINT,
    loaded_at   TIMESTAMPTZ,
    PRIMARY KEY (namespace, source_name, stream, path)
);

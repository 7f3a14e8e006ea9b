-- Addresses (the tables and files pipelines read and write), their types, and the lineage edges
-- between them (the Watcher model). Pipelines are known by their id-registry id. Addresses and
-- types are per namespace, as everything else a Millrace API addresses. Must run on DuckDB and
-- PostgreSQL alike.

CREATE SEQUENCE address_type_ids START 1;

CREATE TABLE address_types (
    id         BIGINT      PRIMARY KEY,
    namespace  VARCHAR     NOT NULL,
    name       VARCHAR     NOT NULL,
    group_name VARCHAR     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ,
    UNIQUE (namespace, name)
);

CREATE SEQUENCE address_ids START 1;

-- name is what clients upsert by; database/schema/table are its parts. No index covers a column
-- an update may change except name, which a rename rewrites on purpose.
CREATE TABLE addresses (
    id               BIGINT      PRIMARY KEY,
    namespace        VARCHAR     NOT NULL,
    name             VARCHAR     NOT NULL,
    address_type_id  BIGINT      NOT NULL,
    database_name    VARCHAR(50),
    schema_name      VARCHAR(50),
    table_name       VARCHAR(50),
    primary_key      VARCHAR(50),
    address_metadata VARCHAR,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ,
    UNIQUE (namespace, name)
);

-- One row per (pipeline, source address, target address). No primary key on purpose: loading a
-- pipeline's lineage deletes and re-inserts the same edges in one transaction, which DuckDB's
-- eager unique checks would refuse; the store writes each edge once per pipeline itself.
CREATE TABLE address_lineage (
    pipeline_id       BIGINT      NOT NULL,
    source_address_id BIGINT      NOT NULL,
    target_address_id BIGINT      NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX address_lineage_by_pipeline ON address_lineage (pipeline_id);
CREATE INDEX address_lineage_by_source ON address_lineage (source_address_id);
CREATE INDEX address_lineage_by_target ON address_lineage (target_address_id);

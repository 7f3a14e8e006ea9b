-- Connector catalogs: what a Connector's metadata refresh found (schemas, tables, columns),
-- keyed by the Connector's metadata.uid. A refresh replaces a connector's rows whole, in one
-- transaction; deleting the Connector deletes them. No primary keys on purpose: a replacement
-- deletes and re-inserts the same keys in one transaction, and a non-unique index is all the
-- listing needs. An absent level (SQLite has no catalog or schema, MySQL no schema) is ''.

-- One row per connector that was refreshed at least once.
CREATE TABLE connector_catalog_refreshes (
    connector_uid VARCHAR     NOT NULL,
    refreshed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX connector_catalog_refreshes_by_connector
    ON connector_catalog_refreshes (connector_uid);

-- Schemas are stored on their own so an empty schema is still listed.
CREATE TABLE connector_schemas (
    connector_uid VARCHAR NOT NULL,
    catalog_name  VARCHAR NOT NULL,
    schema_name   VARCHAR NOT NULL
);
CREATE INDEX connector_schemas_by_connector
    ON connector_schemas (connector_uid, catalog_name, schema_name);

CREATE TABLE connector_tables (
    connector_uid VARCHAR NOT NULL,
    catalog_name  VARCHAR NOT NULL,
    schema_name   VARCHAR NOT NULL,
    table_name    VARCHAR NOT NULL,
    table_type    VARCHAR NOT NULL,
    row_count     BIGINT,
    size_bytes    BIGINT,
    column_count  INTEGER NOT NULL
);
CREATE INDEX connector_tables_by_schema
    ON connector_tables (connector_uid, catalog_name, schema_name, table_name);

CREATE TABLE connector_columns (
    connector_uid       VARCHAR NOT NULL,
    catalog_name        VARCHAR NOT NULL,
    schema_name         VARCHAR NOT NULL,
    table_name          VARCHAR NOT NULL,
    column_name         VARCHAR NOT NULL,
    ordinal             INTEGER NOT NULL CHECK (ordinal > 0),
    data_type           VARCHAR NOT NULL,
    nullable            BOOLEAN NOT NULL,
    primary_key_ordinal INTEGER
);
CREATE INDEX connector_columns_by_table
    ON connector_columns (connector_uid, catalog_name, schema_name, table_name, ordinal);

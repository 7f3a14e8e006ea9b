-- Pipeline executions, their hierarchy, anomaly results and the freshness/timeliness breach logs
-- (the Watcher model). Pipelines themselves are Kubernetes objects; here they are known by the
-- integer id the id registry gave them. Must run on DuckDB and PostgreSQL alike.

CREATE SEQUENCE pipeline_execution_ids START 1;

-- One row per execution. hour_recorded is the UTC hour of start_date, kept as a column so the
-- anomaly baseline ("same hour of day") is an index lookup, not a function over every row.
-- The anomaly_* columns flag the metrics an anomaly rule found out of band; flagged values stay
-- out of later baselines until unflagged.
CREATE TABLE pipeline_executions (
    id                       BIGINT      PRIMARY KEY,
    pipeline_id              BIGINT      NOT NULL,
    parent_id                BIGINT,
    status                   VARCHAR     NOT NULL,
    start_date               TIMESTAMPTZ NOT NULL,
    end_date                 TIMESTAMPTZ,
    hour_recorded            INTEGER     NOT NULL,
    date_recorded            DATE        NOT NULL,
    total_rows               BIGINT,
    inserts                  BIGINT,
    updates                  BIGINT,
    soft_deletes             BIGINT,
    duration_seconds         BIGINT,
    throughput               DOUBLE PRECISION,
    watermark                VARCHAR(50),
    next_watermark           VARCHAR(50),
    execution_metadata       VARCHAR,
    job_id                   BIGINT,
    anomaly_total_rows       BOOLEAN     NOT NULL DEFAULT FALSE,
    anomaly_inserts          BOOLEAN     NOT NULL DEFAULT FALSE,
    anomaly_updates          BOOLEAN     NOT NULL DEFAULT FALSE,
    anomaly_soft_deletes     BOOLEAN     NOT NULL DEFAULT FALSE,
    anomaly_duration_seconds BOOLEAN     NOT NULL DEFAULT FALSE,
    anomaly_throughput       BOOLEAN     NOT NULL DEFAULT FALSE
);

-- Only immutable columns are indexed: DuckDB rewrites an update of an indexed column as a delete
-- plus insert, and executions are updated once when they end.
-- The anomaly baseline: one pipeline, one hour of day.
CREATE INDEX pipeline_executions_baseline ON pipeline_executions (pipeline_id, hour_recorded);
-- A pipeline's executions, newest first (paging).
CREATE INDEX pipeline_executions_by_pipeline ON pipeline_executions (pipeline_id, id);
-- The timeliness check: executions started within the lookback.
CREATE INDEX pipeline_executions_by_start ON pipeline_executions (start_date);
-- The execution recorded for a sync Job.
CREATE UNIQUE INDEX pipeline_executions_by_job ON pipeline_executions (job_id);

-- The closure table of the execution hierarchy: a row per (ancestor, descendant) pair, and a
-- depth-0 row per execution, roots too, so "the subtree of X" is one lookup.
CREATE TABLE pipeline_execution_closure (
    parent_execution_id BIGINT  NOT NULL,
    child_execution_id  BIGINT  NOT NULL,
    depth               INTEGER NOT NULL,
    PRIMARY KEY (parent_execution_id, child_execution_id)
);

CREATE INDEX pipeline_execution_closure_by_child
    ON pipeline_execution_closure (child_execution_id);

-- When each pipeline last inserted, updated and soft-deleted rows in its target: set to the end
-- of a successful execution whose count was > 0. The freshness check reads this, not the
-- executions.
CREATE TABLE pipeline_dml_times (
    pipeline_id             BIGINT PRIMARY KEY,
    last_target_insert      TIMESTAMPTZ,
    last_target_update      TIMESTAMPTZ,
    last_target_soft_delete TIMESTAMPTZ
);

-- One row per (rule, execution) the rule flagged. context holds the baseline's real size and the
-- parameters it was drawn with.
CREATE TABLE anomaly_detection_results (
    rule_id               BIGINT           NOT NULL,
    pipeline_execution_id BIGINT           NOT NULL,
    pipeline_id           BIGINT           NOT NULL,
    metric_field          VARCHAR          NOT NULL,
    violation_value       DOUBLE PRECISION NOT NULL,
    z_score               DOUBLE PRECISION NOT NULL,
    historical_mean       DOUBLE PRECISION NOT NULL,
    std_deviation_value   DOUBLE PRECISION NOT NULL,
    threshold_min_value   DOUBLE PRECISION NOT NULL,
    threshold_max_value   DOUBLE PRECISION NOT NULL,
    context               VARCHAR          NOT NULL,
    detected_at           TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (rule_id, pipeline_execution_id)
);

CREATE INDEX anomaly_detection_results_by_execution
    ON anomaly_detection_results (pipeline_execution_id);

-- Freshness breaches, each stale DML timestamp of a pipeline logged once.
CREATE TABLE freshness_pipeline_logs (
    pipeline_id        BIGINT      NOT NULL,
    last_dml_timestamp TIMESTAMPTZ NOT NULL,
    deadline           TIMESTAMPTZ NOT NULL,
    threshold_number   INTEGER     NOT NULL,
    threshold_datepart VARCHAR     NOT NULL,
    logged_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pipeline_id, last_dml_timestamp)
);

-- Timeliness breaches, each late execution logged once.
CREATE TABLE timeliness_pipeline_execution_logs (
    pipeline_execution_id BIGINT      PRIMARY KEY,
    pipeline_id           BIGINT      NOT NULL,
    execution_status      VARCHAR     NOT NULL,
    deadline              TIMESTAMPTZ NOT NULL,
    running_seconds       BIGINT      NOT NULL,
    threshold_number      INTEGER     NOT NULL,
    threshold_datepart    VARCHAR     NOT NULL,
    logged_at             TIMESTAMPTZ NOT NULL
);

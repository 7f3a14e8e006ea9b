-- Runs of SQL Models. Their ids come from the same sequence as sync jobs, so a job id names one
-- Kubernetes Job whatever it ran. They live apart from `jobs` because those are Airbyte jobs of a
-- Connection (listed by the public API, counted as sync failures); a model run is neither.
-- The unique (model_uid, request_key) makes allocating a run idempotent, as for jobs.
CREATE TABLE model_runs (
    id          BIGINT      PRIMARY KEY,
    namespace   VARCHAR     NOT NULL,
    model_name  VARCHAR     NOT NULL,
    model_uid   VARCHAR     NOT NULL,
    request_key VARCHAR     NOT NULL,
    cascade_run BOOLEAN     NOT NULL,
    status      VARCHAR     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    ended_at    TIMESTAMPTZ,
    row_count   BIGINT,
    error       VARCHAR,
    result_json VARCHAR,
    UNIQUE (model_uid, request_key)
);

-- Attempts of sync jobs, with Airbyte's meaning: a job runs one or more attempts, each its own
-- batch/v1 Job; a failed attempt leaves the job incomplete until the next one, or failed after the
-- last. Rows are history: they outlive the Jobs, which Kubernetes deletes after their TTL.
-- progress_token authenticates the attempt's progress reports (not a secret of any system: it
-- only lets a caller move this attempt's live counters).
CREATE TABLE job_attempts (
    job_id          BIGINT      NOT NULL,
    attempt         INTEGER     NOT NULL,
    job_name        VARCHAR     NOT NULL,
    status          VARCHAR     NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    ended_at        TIMESTAMPTZ,
    rows_synced     BIGINT      NOT NULL,
    bytes_synced    BIGINT      NOT NULL,
    error           VARCHAR,
    retryable       BOOLEAN,
    progress_token  VARCHAR     NOT NULL,
    progress_stream VARCHAR,
    progress_at     TIMESTAMPTZ,
    PRIMARY KEY (job_id, attempt)
);

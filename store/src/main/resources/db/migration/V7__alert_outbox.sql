-- Alerts waiting to be delivered, and what became of them (an outbox). Reconcilers only insert a
-- row; one background sender in the operator delivers due rows, so a slow or dead receiver never
-- holds up a reconcile. occurrence_key names the occurrence (a failed job, a stale DML time, a late
-- execution, a flagged execution), the way the checks deduplicate breaches: enqueueing the same
-- occurrence again is a no-op, so each is alerted once. No receiver address is stored here: it is
-- read from the namespace's Secret when sending.
CREATE TABLE alert_outbox (
    occurrence_key  VARCHAR     PRIMARY KEY,
    event           VARCHAR     NOT NULL,
    namespace       VARCHAR     NOT NULL,
    kind            VARCHAR     NOT NULL,
    name            VARCHAR     NOT NULL,
    message         VARCHAR     NOT NULL,
    details         VARCHAR     NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    enqueued_at     TIMESTAMPTZ NOT NULL,
    status          VARCHAR     NOT NULL,
    attempts        INTEGER     NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      VARCHAR,
    finished_at     TIMESTAMPTZ
);

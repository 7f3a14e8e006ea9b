package dev.millrace.store.check;

import java.time.Instant;

/**
 * A pipeline whose target has not changed for longer than its freshness threshold.
 *
 * @param lastDml the newest of its last insert, update and soft delete
 * @param deadline {@code lastDml} plus the threshold, which has passed
 * @param newlyLogged true the first time this (pipeline, lastDml) was found stale; alerts go out
 *     only then
 */
public record FreshnessBreach(
        long pipelineId,
        Instant lastDml,
        Instant deadline,
        Threshold threshold,
        boolean newlyLogged) {}

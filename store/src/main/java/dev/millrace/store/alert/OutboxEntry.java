package dev.millrace.store.alert;

import java.time.Instant;

/**
 * An enqueued alert and how its delivery goes.
 *
 * @param attempts delivery attempts made so far
 * @param nextAttemptAt when a pending alert is due next
 * @param lastError why the last attempt failed, or why it was skipped; null after a success
 * @param finishedAt when it was sent, given up on or skipped; null while pending
 */
public record OutboxEntry(
        Alert alert,
        DeliveryStatus status,
        int attempts,
        Instant enqueuedAt,
        Instant nextAttemptAt,
        String lastError,
        Instant finishedAt) {}

package dev.millrace.store.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * One occurrence worth telling a person about.
 *
 * @param occurrenceKey names the occurrence, e.g. {@code sync_failed:ns/connection:42}; a second
 *     alert with the same key is the same occurrence and is not enqueued again
 * @param kind the Kubernetes kind of the object it is about (Connection, Pipeline, AnomalyRule)
 * @param message one readable line, without secrets or links
 * @param detailsJson a JSON object with the event's particulars, sent as they are
 */
public record Alert(
        String occurrenceKey,
        AlertEvent event,
        String namespace,
        String kind,
        String name,
        String message,
        Instant occurredAt,
        String detailsJson) {
    public Alert {
        Objects.requireNonNull(occurrenceKey, "occurrenceKey");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (detailsJson == null || detailsJson.isBlank()) {
            detailsJson = "{}";
        }
    }
}

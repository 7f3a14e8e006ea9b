package dev.millrace.store.alert;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The alert outbox: reconcilers enqueue (one insert, deduplicated by occurrence key), the
 * operator's sender takes due alerts and records each attempt. Updates only touch pending rows, so
 * an alert that was sent, given up on or skipped stays that way.
 *
 * <p>Each method is one transaction on the store's {@link Database}.
 */
public final class AlertOutbox {
    /** Longest error kept per alert; receivers can answer with whole HTML pages. */
    static final int MAX_ERROR_LENGTH = 1_000;

    private static final String COLUMNS =
            "occurrence_key, event, namespace, kind, name, message, details, occurred_at,"
                    + " enqueued_at, status, attempts, next_attempt_at, last_error, finished_at";

    private final Database database;

    public AlertOutbox(Database database) {
        this.database = database;
    }

    /**
     * Enqueues the alert, due at once, unless its occurrence was enqueued before (whatever became
     * of it).
     *
     * @return true if this call enqueued it
     */
    public boolean enqueue(Alert alert, Instant now) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(now, "now");
        return database.transaction(
                "enqueue alert " + alert.occurrenceKey(),
                c -> {
                    // RETURNING answers only an inserted row, on DuckDB and PostgreSQL alike.
                    try (PreparedStatement insert =
                            c.prepareStatement(
                                    "INSERT INTO alert_outbox ("
                                            + COLUMNS
                                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL,"
                                            + " NULL) ON CONFLICT (occurrence_key) DO NOTHING"
                                            + " RETURNING occurrence_key")) {
                        insert.setString(1, alert.occurrenceKey());
                        insert.setString(2, alert.event().wireName());
                        insert.setString(3, alert.namespace());
                        insert.setString(4, alert.kind());
                        insert.setString(5, alert.name());
                        insert.setString(6, alert.message());
                        insert.setString(7, alert.detailsJson());
                        JdbcValues.setInstant(insert, 8, alert.occurredAt());
                        JdbcValues.setInstant(insert, 9, now);
                        insert.setString(10, DeliveryStatus.PENDING.wireName());
                        JdbcValues.setInstant(insert, 11, now);
                        try (ResultSet row = insert.executeQuery()) {
                            return row.next();
                        }
                    }
                });
    }

    /** Up to {@code limit} pending alerts due at {@code now}, the longest waiting first. */
    public List<OutboxEntry> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        return database.transaction(
                "list the due alerts",
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM alert_outbox WHERE status = ? AND"
                                            + " next_attempt_at <= ? ORDER BY next_attempt_at,"
                                            + " occurrence_key LIMIT ?")) {
                        query.setString(1, DeliveryStatus.PENDING.wireName());
                        JdbcValues.setInstant(query, 2, now);
                        query.setInt(3, limit);
                        return read(query);
                    }
                });
    }

    /** The alert enqueued for the occurrence, if any. */
    public Optional<OutboxEntry> find(String occurrenceKey) {
        Objects.requireNonNull(occurrenceKey, "occurrenceKey");
        return database.transaction(
                "find alert " + occurrenceKey,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM alert_outbox WHERE occurrence_key = ?")) {
                        query.setString(1, occurrenceKey);
                        return read(query).stream().findFirst();
                    }
                });
    }

    /** Every alert of the namespace, oldest first. */
    public List<OutboxEntry> inNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return database.transaction(
                "list the alerts of " + namespace,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM alert_outbox WHERE namespace = ?"
                                            + " ORDER BY enqueued_at, occurrence_key")) {
                        query.setString(1, namespace);
                        return read(query);
                    }
                });
    }

    /** The pending alert was delivered on attempt {@code attempts}. */
    public void sent(String occurrenceKey, int attempts, Instant at) {
        finish(occurrenceKey, DeliveryStatus.SENT, attempts, null, at);
    }

    /** The pending alert is given up on after {@code attempts} attempts. */
    public void failed(String occurrenceKey, int attempts, String error, Instant at) {
        finish(occurrenceKey, DeliveryStatus.FAILED, attempts, error, at);
    }

    /** The pending alert will not be sent: its namespace has no notifier for it. */
    public void skipped(String occurrenceKey, String reason, Instant at) {
        Objects.requireNonNull(occurrenceKey, "occurrenceKey");
        database.transaction(
                "skip alert " + occurrenceKey,
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE alert_outbox SET status = ?, last_error = ?,"
                                            + " finished_at = ? WHERE occurrence_key = ? AND"
                                            + " status = ?")) {
                        update.setString(1, DeliveryStatus.SKIPPED.wireName());
                        JdbcValues.setNullableString(update, 2, cut(reason));
                        JdbcValues.setInstant(update, 3, at);
                        update.setString(4, occurrenceKey);
                        update.setString(5, DeliveryStatus.PENDING.wireName());
                        update.executeUpdate();
                    }
                    return null;
                });
    }

    /** Attempt {@code attempts} failed; the alert stays pending until {@code next}. */
    public void retryAt(String occurrenceKey, int attempts, String error, Instant next) {
        Objects.requireNonNull(occurrenceKey, "occurrenceKey");
        Objects.requireNonNull(next, "next");
        database.transaction(
                "reschedule alert " + occurrenceKey,
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE alert_outbox SET attempts = ?, last_error = ?,"
                                            + " next_attempt_at = ? WHERE occurrence_key = ? AND"
                                            + " status = ?")) {
                        update.setInt(1, attempts);
                        JdbcValues.setNullableString(update, 2, cut(error));
                        JdbcValues.setInstant(update, 3, next);
                        update.setString(4, occurrenceKey);
                        update.setString(5, DeliveryStatus.PENDING.wireName());
                        update.executeUpdate();
                    }
                    return null;
                });
    }

    private void finish(
            String occurrenceKey, DeliveryStatus status, int attempts, String error, Instant at) {
        Objects.requireNonNull(occurrenceKey, "occurrenceKey");
        Objects.requireNonNull(at, "at");
        database.transaction(
                "mark alert " + occurrenceKey + " " + status.wireName(),
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE alert_outbox SET status = ?, attempts = ?,"
                                            + " last_error = ?, finished_at = ? WHERE"
                                            + " occurrence_key = ? AND status = ?")) {
                        update.setString(1, status.wireName());
                        update.setInt(2, attempts);
                        JdbcValues.setNullableString(update, 3, cut(error));
                        JdbcValues.setInstant(update, 4, at);
                        update.setString(5, occurrenceKey);
                        update.setString(6, DeliveryStatus.PENDING.wireName());
                        update.executeUpdate();
                    }
                    return null;
                });
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH
                ? error
                : error.substring(0, MAX_ERROR_LENGTH);
    }

    private static List<OutboxEntry> read(PreparedStatement query) throws SQLException {
        List<OutboxEntry> entries = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                entries.add(
                        new OutboxEntry(
                                new Alert(
                                        row.getString("occurrence_key"),
                                        AlertEvent.fromWireName(row.getString("event")),
                                        row.getString("namespace"),
                                        row.getString("kind"),
                                        row.getString("name"),
                                        row.getString("message"),
                                        JdbcValues.getInstant(row, "occurred_at"),
                                        row.getString("details")),
                                DeliveryStatus.fromWireName(row.getString("status")),
                                row.getInt("attempts"),
                                JdbcValues.getInstant(row, "enqueued_at"),
                                JdbcValues.getInstant(row, "next_attempt_at"),
                                row.getString("last_error"),
                                JdbcValues.getInstant(row, "finished_at")));
            }
        }
        return entries;
    }
}

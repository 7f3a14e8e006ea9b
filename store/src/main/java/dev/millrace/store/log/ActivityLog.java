package dev.millrace.store.log;

import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The activity log behind the platform API's {@code /api/logs} and {@code
 * /api/sources/{name}/logs}: append lines, read the newest ones back in the order they happened.
 *
 * <p>Statements only: the caller ({@code Store}) runs each method in a transaction.
 */
public final class ActivityLog {

    /**
     * The longest message kept, in characters. A log line is for a person to read; capping it stops
     * one runaway message (a whole stack trace, a response body) from bloating the store.
     */
    public static final int MAX_MESSAGE_LENGTH = 8192;

    static final String TRUNCATION_MARK = " [truncated]";

    public void append(Connection connection, LogEntry entry) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO logs (id, logged_at, namespace, source_name, job_id, level,"
                                + " message) VALUES (nextval('log_ids'), ?, ?, ?, ?, ?, ?)")) {
            JdbcValues.setInstant(insert, 1, entry.timestamp());
            insert.setString(2, entry.namespace());
            JdbcValues.setNullableString(insert, 3, entry.source());
            JdbcValues.setNullableLong(insert, 4, entry.jobId());
            insert.setString(5, entry.level().name());
            insert.setString(6, capped(entry.message()));
            insert.executeUpdate();
        }
    }

    static String capped(String message) {
        if (message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        int keep = MAX_MESSAGE_LENGTH - TRUNCATION_MARK.length();
        if (Character.isHighSurrogate(message.charAt(keep - 1))) {
            keep--; // never keep half of a character outside the Basic Multilingual Plane
        }
        return message.substring(0, keep) + TRUNCATION_MARK;
    }

    /**
     * The newest {@code limit} lines of the namespace, or of one of its sources, oldest first.
     * Lines are ordered by their timestamp, and lines with the same timestamp by when they were
     * appended.
     *
     * @param source null for every line of the namespace
     */
    public List<LogEntry> newest(Connection connection, String namespace, String source, int limit)
            throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT logged_at, namespace, source_name, job_id, level, message"
                                + " FROM logs WHERE namespace = ?"
                                + (source == null ? "" : " AND source_name = ?")
                                + " ORDER BY logged_at DESC, id DESC LIMIT ?")) {
            int index = 1;
            query.setString(index++, namespace);
            if (source != null) {
                query.setString(index++, source);
            }
            query.setInt(index, limit);
            List<LogEntry> newestFirst = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    newestFirst.add(
                            new LogEntry(
                                    JdbcValues.getInstant(rows, "logged_at"),
                                    rows.getString("namespace"),
                                    rows.getString("source_name"),
                                    JdbcValues.getNullableLong(rows, "job_id"),
                                    LogLevel.valueOf(rows.getString("level")),
                                    rows.getString("message")));
                }
            }
            Collections.reverse(newestFirst);
            return newestFirst;
        }
    }
}

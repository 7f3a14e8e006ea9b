package dev.millrace.store.retention;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * Deletes execution history older than a cutoff (the Watcher's log cleanup): executions that
 * started before it with their closure rows, anomaly results and timeliness logs, and freshness
 * logs written before it. Deletes go in batches, each its own transaction, so a large cleanup never
 * holds the store's one connection for long and other work runs between batches.
 */
public final class ExecutionRetention {
    /** The batch: the oldest {@code ?} executions that started before the cutoff. */
    private static final String BATCH =
            "SELECT id FROM pipeline_executions WHERE start_date < ? ORDER BY id LIMIT ?";

    private final Database database;

    public ExecutionRetention(Database database) {
        this.database = database;
    }

    /**
     * Deletes everything older than {@code cutoff}, {@code batchSize} executions (or freshness
     * logs) per transaction.
     */
    public CleanupCounts deleteBefore(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        CleanupCounts total = new CleanupCounts(0, 0, 0, 0, 0, 0);
        while (true) {
            CleanupCounts batch =
                    database.transaction(
                            "delete a batch of executions before " + cutoff,
                            c -> executionBatch(c, cutoff, batchSize));
            total = total.plus(batch);
            if (batch.executions() < batchSize) {
                break;
            }
        }
        while (true) {
            long deleted =
                    database.transaction(
                            "delete a batch of freshness logs before " + cutoff,
                            c -> freshnessBatch(c, cutoff, batchSize));
            total = total.plus(new CleanupCounts(0, 0, 0, 0, 0, deleted));
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
    }

    private static CleanupCounts executionBatch(Connection c, Instant cutoff, int batchSize)
            throws SQLException {
        // The batch query runs once per statement and finds the same executions each time: they
        // are deleted last.
        long parents =
                delete(
                        c,
                        "DELETE FROM pipeline_execution_closure WHERE parent_execution_id IN ("
                                + BATCH
                                + ")",
                        cutoff,
                        batchSize);
        long children =
                delete(
                        c,
                        "DELETE FROM pipeline_execution_closure WHERE child_execution_id IN ("
                                + BATCH
                                + ")",
                        cutoff,
                        batchSize);
        long anomalies =
                delete(
                        c,
                        "DELETE FROM anomaly_detection_results WHERE pipeline_execution_id IN ("
                                + BATCH
                                + ")",
                        cutoff,
                        batchSize);
        long timeliness =
                delete(
                        c,
                        "DELETE FROM timeliness_pipeline_execution_logs WHERE"
                                + " pipeline_execution_id IN ("
                                + BATCH
                                + ")",
                        cutoff,
                        batchSize);
        long executions =
                delete(
                        c,
                        "DELETE FROM pipeline_executions WHERE id IN (" + BATCH + ")",
                        cutoff,
                        batchSize);
        return new CleanupCounts(executions, timeliness, anomalies, parents, children, 0);
    }

    /**
     * Freshness logs up to the batch's newest log time: a batch of exactly {@code batchSize} unless
     * logs share that time, which are deleted together.
     */
    private static long freshnessBatch(Connection c, Instant cutoff, int batchSize)
            throws SQLException {
        try (PreparedStatement delete =
                c.prepareStatement(
                        "DELETE FROM freshness_pipeline_logs WHERE logged_at < ? AND logged_at <="
                                + " (SELECT max(logged_at) FROM (SELECT logged_at FROM"
                                + " freshness_pipeline_logs WHERE logged_at < ?"
                                + " ORDER BY logged_at LIMIT ?) batch)")) {
            JdbcValues.setInstant(delete, 1, cutoff);
            JdbcValues.setInstant(delete, 2, cutoff);
            delete.setInt(3, batchSize);
            return delete.executeUpdate();
        }
    }

    private static long delete(Connection c, String sql, Instant cutoff, int batchSize)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(sql)) {
            JdbcValues.setInstant(delete, 1, cutoff);
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        }
    }
}

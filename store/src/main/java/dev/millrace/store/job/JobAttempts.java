package dev.millrace.store.job;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attempts of jobs (Airbyte's meaning: each run of a job's Job is an attempt). Like {@link
 * JobHistory}, every change is idempotent, because the operator may replay it after a restart:
 * beginning an attempt twice returns the first, an ended attempt never changes again, and progress
 * reaches only a running attempt with its own token. Each method is one transaction.
 */
public final class JobAttempts {

    private static final String COLUMNS =
            "job_id, attempt, job_name, status, created_at, started_at, ended_at, rows_synced,"
                    + " bytes_synced, error, retryable, progress_token, progress_stream,"
                    + " progress_at";

    private final Database database;

    public JobAttempts(Database database) {
        this.database = database;
    }

    /**
     * Records that attempt {@code attempt} of job {@code jobId} runs as the batch/v1 Job {@code
     * jobName}, and moves the job to running (keeping its first start time). If the attempt is
     * recorded already, that record is returned unchanged.
     */
    public AttemptRecord begin(
            long jobId, int attempt, String jobName, String progressToken, Instant createdAt) {
        return database.transaction(
                "begin attempt " + attempt + " of job " + jobId,
                c -> {
                    try (PreparedStatement insert =
                            c.prepareStatement(
                                    "INSERT INTO job_attempts (job_id, attempt, job_name, status,"
                                            + " created_at, rows_synced, bytes_synced,"
                                            + " progress_token) VALUES (?, ?, ?, ?, ?, 0, 0, ?)"
                                            + " ON CONFLICT (job_id, attempt) DO NOTHING")) {
                        insert.setLong(1, jobId);
                        insert.setInt(2, attempt);
                        insert.setString(3, jobName);
                        insert.setString(4, AttemptStatus.RUNNING.wireName());
                        JdbcValues.setInstant(insert, 5, createdAt);
                        insert.setString(6, progressToken);
                        if (insert.executeUpdate() == 1) {
                            new JobHistory().markRunning(c, jobId, createdAt);
                        }
                    }
                    return find(c, jobId, attempt).orElseThrow();
                });
    }

    /** Records when the attempt's pod started running; the first time is kept. */
    public void markStarted(long jobId, int attempt, Instant startedAt) {
        database.transaction(
                "mark attempt " + attempt + " of job " + jobId + " started",
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE job_attempts SET started_at = COALESCE(started_at, ?)"
                                            + " WHERE job_id = ? AND attempt = ?")) {
                        JdbcValues.setInstant(update, 1, startedAt);
                        update.setLong(2, jobId);
                        update.setInt(3, attempt);
                        return update.executeUpdate();
                    }
                });
    }

    /**
     * Records how a running attempt ended, once.
     *
     * @param retryable for a failed attempt, whether another attempt may succeed; otherwise null
     * @return true if this call ended the attempt, false if it had ended already
     */
    public boolean end(
            long jobId,
            int attempt,
            AttemptStatus status,
            Instant endedAt,
            long rowsSynced,
            long bytesSynced,
            String error,
            Boolean retryable) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("an attempt ends terminal, not " + status);
        }
        return database.transaction(
                "end attempt " + attempt + " of job " + jobId,
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE job_attempts SET status = ?, ended_at = ?,"
                                            + " rows_synced = ?, bytes_synced = ?, error = ?,"
                                            + " retryable = ? WHERE job_id = ? AND attempt = ?"
                                            + " AND status = ?")) {
                        update.setString(1, status.wireName());
                        JdbcValues.setInstant(update, 2, endedAt);
                        update.setLong(3, rowsSynced);
                        update.setLong(4, bytesSynced);
                        JdbcValues.setNullableString(update, 5, error);
                        if (retryable == null) {
                            update.setNull(6, Types.BOOLEAN);
                        } else {
                            update.setBoolean(6, retryable);
                        }
                        update.setLong(7, jobId);
                        update.setInt(8, attempt);
                        update.setString(9, AttemptStatus.RUNNING.wireName());
                        return update.executeUpdate() == 1;
                    }
                });
    }

    /**
     * Marks a running (or not yet started) job incomplete: its attempt failed and another will run.
     * Terminal jobs are left as they are.
     */
    public void markIncomplete(long jobId) {
        database.transaction(
                "mark job " + jobId + " incomplete",
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE jobs SET status = ? WHERE id = ? AND status IN (?, ?,"
                                            + " ?)")) {
                        update.setString(1, JobStatus.INCOMPLETE.wireName());
                        update.setLong(2, jobId);
                        update.setString(3, JobStatus.RUNNING.wireName());
                        update.setString(4, JobStatus.PENDING.wireName());
                        update.setString(5, JobStatus.QUEUED.wireName());
                        return update.executeUpdate();
                    }
                });
    }

    /**
     * A progress report of a running attempt: its current stream and counts so far, copied to the
     * job too so that job listings show live counts. A report with the wrong token, or for an
     * attempt that is not running (a late report after the end), changes nothing.
     *
     * @return whether the report was accepted
     */
    public boolean reportProgress(
            long jobId,
            int attempt,
            String progressToken,
            String stream,
            long rowsSynced,
            long bytesSynced,
            Instant at) {
        return database.transaction(
                "record progress of job " + jobId,
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE job_attempts SET progress_stream = ?, rows_synced = ?,"
                                        + " bytes_synced = ?, progress_at = ? WHERE job_id = ? AND"
                                        + " attempt = ? AND progress_token = ? AND status = ?")) {
                        JdbcValues.setNullableString(update, 1, stream);
                        update.setLong(2, rowsSynced);
                        update.setLong(3, bytesSynced);
                        JdbcValues.setInstant(update, 4, at);
                        update.setLong(5, jobId);
                        update.setInt(6, attempt);
                        update.setString(7, progressToken);
                        update.setString(8, AttemptStatus.RUNNING.wireName());
                        if (update.executeUpdate() == 0) {
                            return false;
                        }
                    }
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE jobs SET rows_synced = ?, bytes_synced = ? WHERE id ="
                                            + " ? AND status = ?")) {
                        update.setLong(1, rowsSynced);
                        update.setLong(2, bytesSynced);
                        update.setLong(3, jobId);
                        update.setString(4, JobStatus.RUNNING.wireName());
                        update.executeUpdate();
                    }
                    return true;
                });
    }

    /** The job's attempts, first first. */
    public List<AttemptRecord> of(long jobId) {
        return database.transaction(
                "list the attempts of job " + jobId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM job_attempts WHERE job_id = ? ORDER BY"
                                            + " attempt")) {
                        query.setLong(1, jobId);
                        List<AttemptRecord> attempts = new ArrayList<>();
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                attempts.add(read(rows));
                            }
                        }
                        return attempts;
                    }
                });
    }

    /** The job's newest attempt, if it has one. */
    public Optional<AttemptRecord> latest(long jobId) {
        List<AttemptRecord> attempts = of(jobId);
        return attempts.isEmpty()
                ? Optional.empty()
                : Optional.of(attempts.get(attempts.size() - 1));
    }

    private static Optional<AttemptRecord> find(Connection c, long jobId, int attempt)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM job_attempts WHERE job_id = ? AND attempt = ?")) {
            query.setLong(1, jobId);
            query.setInt(2, attempt);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static AttemptRecord read(ResultSet row) throws SQLException {
        boolean retryableValue = row.getBoolean("retryable");
        Boolean retryable = row.wasNull() ? null : retryableValue;
        return new AttemptRecord(
                row.getLong("job_id"),
                row.getInt("attempt"),
                row.getString("job_name"),
                AttemptStatus.fromWireName(row.getString("status")),
                JdbcValues.getInstant(row, "created_at"),
                JdbcValues.getInstant(row, "started_at"),
                JdbcValues.getInstant(row, "ended_at"),
                row.getLong("rows_synced"),
                row.getLong("bytes_synced"),
                row.getString("error"),
                retryable,
                row.getString("progress_token"),
                row.getString("progress_stream"),
                JdbcValues.getInstant(row, "progress_at"));
    }
}

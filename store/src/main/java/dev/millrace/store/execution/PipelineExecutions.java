package dev.millrace.store.execution;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pipeline executions and their hierarchy (Watcher semantics): started running, ended once as
 * succeeded or failed with the store computing duration and throughput, linked to their parents
 * through a closure table. A successful end also moves the pipeline's last DML times.
 *
 * <p>Each method is one transaction on the store's {@link Database}.
 */
public final class PipelineExecutions {

    static final String COLUMNS =
            "id, pipeline_id, parent_id, status, start_date, end_date, hour_recorded, total_rows,"
                    + " inserts, updates, soft_deletes, duration_seconds, throughput, watermark,"
                    + " next_watermark, execution_metadata, job_id, anomaly_total_rows,"
                    + " anomaly_inserts, anomaly_updates, anomaly_soft_deletes,"
                    + " anomaly_duration_seconds, anomaly_throughput";

    private final Database database;

    public PipelineExecutions(Database database) {
        this.database = database;
    }

    /**
     * Starts an execution and returns its id. An execution that names a Job already recorded gets
     * that Job's execution back, so a replayed start never makes a second one.
     *
     * @throws NoSuchElementException if the parent execution does not exist
     * @throws IllegalArgumentException if the parent belongs to another pipeline
     */
    public long start(ExecutionStart start) {
        Objects.requireNonNull(start, "start");
        return database.transaction(
                "start an execution of pipeline " + start.pipelineId(),
                c -> {
                    if (start.jobId() != null) {
                        Optional<Execution> existing = byJob(c, start.jobId());
                        if (existing.isPresent()) {
                            return existing.get().id();
                        }
                    }
                    if (start.parentId() != null) {
                        Execution parent =
                                find(c, start.parentId())
                                        .orElseThrow(
                                                () ->
                                                        new NoSuchElementException(
                                                                "no parent execution with id "
                                                                        + start.parentId()));
                        if (parent.pipelineId() != start.pipelineId()) {
                            throw new IllegalArgumentException(
                                    "parent execution "
                                            + parent.id()
                                            + " belongs to pipeline "
                                            + parent.pipelineId()
                                            + ", not "
                                            + start.pipelineId());
                        }
                    }
                    long id = insert(c, start);
                    insertClosure(c, id, start.parentId());
                    return id;
                });
    }

    private static long insert(Connection c, ExecutionStart start) throws SQLException {
        var utc = start.start().atOffset(ZoneOffset.UTC);
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO pipeline_executions (id, pipeline_id, parent_id, status,"
                                + " start_date, hour_recorded, date_recorded, watermark,"
                                + " next_watermark, execution_metadata, job_id)"
                                + " VALUES (nextval('pipeline_execution_ids'), ?, ?, ?, ?, ?, ?,"
                                + " ?, ?, ?, ?) RETURNING id")) {
            insert.setLong(1, start.pipelineId());
            JdbcValues.setNullableLong(insert, 2, start.parentId());
            insert.setString(3, ExecutionStatus.RUNNING.wireName());
            JdbcValues.setInstant(insert, 4, start.start());
            insert.setInt(5, utc.getHour());
            insert.setDate(6, Date.valueOf(utc.toLocalDate()));
            JdbcValues.setNullableString(insert, 7, start.watermark());
            JdbcValues.setNullableString(insert, 8, start.nextWatermark());
            JdbcValues.setNullableString(insert, 9, start.metadataJson());
            JdbcValues.setNullableLong(insert, 10, start.jobId());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Every ancestor's row one level deeper, plus the execution's own depth-0 row. */
    private static void insertClosure(Connection c, long id, Long parentId) throws SQLException {
        try (PreparedStatement self =
                c.prepareStatement(
                        "INSERT INTO pipeline_execution_closure (parent_execution_id,"
                                + " child_execution_id, depth) VALUES (?, ?, 0)")) {
            self.setLong(1, id);
            self.setLong(2, id);
            self.executeUpdate();
        }
        if (parentId == null) {
            return;
        }
        try (PreparedStatement ancestors =
                c.prepareStatement(
                        "INSERT INTO pipeline_execution_closure (parent_execution_id,"
                            + " child_execution_id, depth) SELECT parent_execution_id, ?, depth + 1"
                            + " FROM pipeline_execution_closure WHERE child_execution_id = ?")) {
            ancestors.setLong(1, id);
            ancestors.setLong(2, parentId);
            ancestors.executeUpdate();
        }
    }

    /**
     * Ends a running execution: status from {@code end.succeeded()}, duration and throughput
     * computed here. A successful end sets the pipeline's last insert/update/soft-delete time to
     * the end for every count above zero.
     *
     * @return true if this call ended it, false if it had ended already (left unchanged)
     * @throws NoSuchElementException if there is no execution with that id
     * @throws IllegalArgumentException if the end is not after the start
     */
    public boolean end(ExecutionEnd end) {
        Objects.requireNonNull(end, "end");
        return database.transaction(
                "end execution " + end.id(),
                c -> {
                    Execution execution =
                            find(c, end.id())
                                    .orElseThrow(
                                            () ->
                                                    new NoSuchElementException(
                                                            "no execution with id " + end.id()));
                    if (!end.end().isAfter(execution.start())) {
                        throw new IllegalArgumentException(
                                "end_date must be greater than start_date ("
                                        + end.end()
                                        + " is not after "
                                        + execution.start()
                                        + ")");
                    }
                    if (execution.status() != ExecutionStatus.RUNNING) {
                        return false;
                    }
                    Duration duration = Duration.between(execution.start(), end.end());
                    double exactSeconds = duration.toNanos() / 1e9;
                    Double throughput =
                            end.totalRows() == null ? null : end.totalRows() / exactSeconds;
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE pipeline_executions SET status = ?, end_date = ?,"
                                            + " total_rows = ?, inserts = ?, updates = ?,"
                                            + " soft_deletes = ?, duration_seconds = ?,"
                                            + " throughput = ?,"
                                            + " execution_metadata = COALESCE(?,"
                                            + " execution_metadata)"
                                            + " WHERE id = ? AND status = ?")) {
                        update.setString(
                                1,
                                (end.succeeded()
                                                ? ExecutionStatus.SUCCEEDED
                                                : ExecutionStatus.FAILED)
                                        .wireName());
                        JdbcValues.setInstant(update, 2, end.end());
                        JdbcValues.setNullableLong(update, 3, end.totalRows());
                        JdbcValues.setNullableLong(update, 4, end.inserts());
                        JdbcValues.setNullableLong(update, 5, end.updates());
                        JdbcValues.setNullableLong(update, 6, end.softDeletes());
                        update.setLong(7, duration.getSeconds());
                        if (throughput == null) {
                            update.setNull(8, Types.DOUBLE);
                        } else {
                            update.setDouble(8, throughput);
                        }
                        JdbcValues.setNullableString(update, 9, end.metadataJson());
                        update.setLong(10, end.id());
                        update.setString(11, ExecutionStatus.RUNNING.wireName());
                        if (update.executeUpdate() == 0) {
                            return false;
                        }
                    }
                    if (end.succeeded()) {
                        recordDml(c, execution.pipelineId(), end);
                    }
                    return true;
                });
    }

    private static void recordDml(Connection c, long pipelineId, ExecutionEnd end)
            throws SQLException {
        Instant insert = positive(end.inserts()) ? end.end() : null;
        Instant update = positive(end.updates()) ? end.end() : null;
        Instant softDelete = positive(end.softDeletes()) ? end.end() : null;
        if (insert == null && update == null && softDelete == null) {
            return;
        }
        try (PreparedStatement upsert =
                c.prepareStatement(
                        "INSERT INTO pipeline_dml_times (pipeline_id, last_target_insert,"
                                + " last_target_update, last_target_soft_delete)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT (pipeline_id) DO UPDATE SET"
                                + " last_target_insert = COALESCE(excluded.last_target_insert,"
                                + " pipeline_dml_times.last_target_insert),"
                                + " last_target_update = COALESCE(excluded.last_target_update,"
                                + " pipeline_dml_times.last_target_update),"
                                + " last_target_soft_delete ="
                                + " COALESCE(excluded.last_target_soft_delete,"
                                + " pipeline_dml_times.last_target_soft_delete)")) {
            upsert.setLong(1, pipelineId);
            JdbcValues.setInstant(upsert, 2, insert);
            JdbcValues.setInstant(upsert, 3, update);
            JdbcValues.setInstant(upsert, 4, softDelete);
            upsert.executeUpdate();
        }
    }

    private static boolean positive(Long count) {
        return count != null && count > 0;
    }

    /** The execution with its direct children (one level, oldest first). */
    public Optional<Execution> find(long id) {
        return database.transaction(
                "find execution " + id,
                c -> {
                    Optional<Execution> execution = find(c, id);
                    if (execution.isEmpty()) {
                        return execution;
                    }
                    try (PreparedStatement children =
                            c.prepareStatement(
                                    "SELECT "
                                            + qualified("e")
                                            + " FROM pipeline_execution_closure t"
                                            + " JOIN pipeline_executions e"
                                            + " ON e.id = t.child_execution_id"
                                            + " WHERE t.parent_execution_id = ? AND t.depth = 1"
                                            + " ORDER BY e.id")) {
                        children.setLong(1, id);
                        return Optional.of(execution.get().withChildren(all(children)));
                    }
                });
    }

    /** The execution recorded for a sync Job. */
    public Optional<Execution> findByJob(long jobId) {
        return database.transaction("find the execution of job " + jobId, c -> byJob(c, jobId));
    }

    /** One page of the pipeline's executions, newest first. */
    public List<Execution> ofPipeline(long pipelineId, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative");
        }
        return database.transaction(
                "list the executions of pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM pipeline_executions WHERE pipeline_id = ?"
                                            + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                        query.setLong(1, pipelineId);
                        query.setInt(2, limit);
                        query.setInt(3, offset);
                        return all(query);
                    }
                });
    }

    /** How many executions the pipeline has. */
    public long countOfPipeline(long pipelineId) {
        return database.transaction(
                "count the executions of pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT count(*) FROM pipeline_executions"
                                            + " WHERE pipeline_id = ?")) {
                        query.setLong(1, pipelineId);
                        try (ResultSet row = query.executeQuery()) {
                            row.next();
                            return row.getLong(1);
                        }
                    }
                });
    }

    /** The pipeline's most recently started execution that has ended. */
    public Optional<Execution> lastEnded(long pipelineId) {
        return database.transaction(
                "find the last ended execution of pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM pipeline_executions WHERE pipeline_id = ?"
                                            + " AND status <> ? ORDER BY id DESC LIMIT 1")) {
                        query.setLong(1, pipelineId);
                        query.setString(2, ExecutionStatus.RUNNING.wireName());
                        List<Execution> rows = all(query);
                        return rows.stream().findFirst();
                    }
                });
    }

    /** When the pipeline last inserted, updated and soft-deleted; empty if it never did. */
    public Optional<DmlTimes> dmlTimes(long pipelineId) {
        return database.transaction(
                "read the DML times of pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT pipeline_id, last_target_insert, last_target_update,"
                                            + " last_target_soft_delete FROM pipeline_dml_times"
                                            + " WHERE pipeline_id = ?")) {
                        query.setLong(1, pipelineId);
                        try (ResultSet row = query.executeQuery()) {
                            return row.next() ? Optional.of(dmlTimes(row)) : Optional.empty();
                        }
                    }
                });
    }

    /** Reads a {@code pipeline_dml_times} row. */
    public static DmlTimes dmlTimes(ResultSet row) throws SQLException {
        return new DmlTimes(
                row.getLong("pipeline_id"),
                JdbcValues.getInstant(row, "last_target_insert"),
                JdbcValues.getInstant(row, "last_target_update"),
                JdbcValues.getInstant(row, "last_target_soft_delete"));
    }

    /** Statements for the other parts of the store that need an execution inside their work. */
    public static Optional<Execution> find(Connection c, long id) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM pipeline_executions WHERE id = ?")) {
            query.setLong(1, id);
            return all(query).stream().findFirst();
        }
    }

    private static Optional<Execution> byJob(Connection c, long jobId) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM pipeline_executions WHERE job_id = ?")) {
            query.setLong(1, jobId);
            return all(query).stream().findFirst();
        }
    }

    private static String qualified(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static List<Execution> all(PreparedStatement query) throws SQLException {
        List<Execution> executions = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                executions.add(read(rows));
            }
        }
        return executions;
    }

    private static Execution read(ResultSet row) throws SQLException {
        Set<Metric> flags = EnumSet.noneOf(Metric.class);
        for (Metric metric : Metric.values()) {
            if (row.getBoolean(metric.flagColumn())) {
                flags.add(metric);
            }
        }
        double throughputValue = row.getDouble("throughput");
        Double throughput = row.wasNull() ? null : throughputValue;
        return new Execution(
                row.getLong("id"),
                row.getLong("pipeline_id"),
                JdbcValues.getNullableLong(row, "parent_id"),
                ExecutionStatus.fromWireName(row.getString("status")),
                JdbcValues.getInstant(row, "start_date"),
                JdbcValues.getInstant(row, "end_date"),
                row.getInt("hour_recorded"),
                JdbcValues.getNullableLong(row, "total_rows"),
                JdbcValues.getNullableLong(row, "inserts"),
                JdbcValues.getNullableLong(row, "updates"),
                JdbcValues.getNullableLong(row, "soft_deletes"),
                JdbcValues.getNullableLong(row, "duration_seconds"),
                throughput,
                row.getString("watermark"),
                row.getString("next_watermark"),
                row.getString("execution_metadata"),
                JdbcValues.getNullableLong(row, "job_id"),
                flags,
                List.of());
    }
}

package dev.millrace.store.check;

import dev.millrace.store.execution.DmlTimes;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.execution.PipelineExecutions;
import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Watcher's freshness and timeliness checks. Date-part arithmetic happens here in Java (see
 * {@link Threshold}), not in SQL, because DuckDB and PostgreSQL add months differently to
 * timestamps with time zones; the queries only fetch the few rows a check needs. Every breach is
 * logged once (a primary key per stale DML timestamp, per late execution), so a check that runs
 * every few minutes alerts once per breach.
 *
 * <p>Each method is one transaction on the store's {@link Database}.
 */
public final class PipelineChecks {

    /** Above this many targets a check reads every row and filters in Java, not with IN (…). */
    private static final int MAX_IN_LIST = 500;

    private final Database database;

    public PipelineChecks(Database database) {
        this.database = database;
    }

    /**
     * Finds the target pipelines whose newest DML time plus their threshold lies before {@code
     * now}, logging each (pipeline, DML time) the first time. Pipelines that never changed their
     * target are not judged.
     */
    public List<FreshnessBreach> freshness(Collection<CheckTarget> targets, Instant now) {
        Objects.requireNonNull(now, "now");
        Map<Long, Threshold> thresholds = byPipeline(targets);
        if (thresholds.isEmpty()) {
            return List.of();
        }
        return database.transaction(
                "check the freshness of " + thresholds.size() + " pipelines",
                c -> {
                    List<FreshnessBreach> breaches = new ArrayList<>();
                    for (DmlTimes times : dmlTimes(c, thresholds.keySet())) {
                        Threshold threshold = thresholds.get(times.pipelineId());
                        if (threshold == null || times.latest().isEmpty()) {
                            continue;
                        }
                        Instant lastDml = times.latest().get();
                        Instant deadline = threshold.after(lastDml);
                        if (now.isAfter(deadline)) {
                            boolean logged =
                                    logFreshness(
                                            c,
                                            times.pipelineId(),
                                            lastDml,
                                            deadline,
                                            threshold,
                                            now);
                            breaches.add(
                                    new FreshnessBreach(
                                            times.pipelineId(),
                                            lastDml,
                                            deadline,
                                            threshold,
                                            logged));
                        }
                    }
                    return breaches;
                });
    }

    private static List<DmlTimes> dmlTimes(Connection c, Collection<Long> pipelineIds)
            throws SQLException {
        String sql =
                "SELECT pipeline_id, last_target_insert, last_target_update,"
                        + " last_target_soft_delete FROM pipeline_dml_times"
                        + inList(pipelineIds.size());
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bindIds(query, pipelineIds);
            List<DmlTimes> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(PipelineExecutions.dmlTimes(row));
                }
            }
            return rows;
        }
    }

    private static boolean logFreshness(
            Connection c,
            long pipelineId,
            Instant lastDml,
            Instant deadline,
            Threshold threshold,
            Instant now)
            throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO freshness_pipeline_logs (pipeline_id, last_dml_timestamp,"
                                + " deadline, threshold_number, threshold_datepart, logged_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (pipeline_id, last_dml_timestamp) DO NOTHING")) {
            insert.setLong(1, pipelineId);
            JdbcValues.setInstant(insert, 2, lastDml);
            JdbcValues.setInstant(insert, 3, deadline);
            insert.setInt(4, threshold.number());
            insert.setString(5, threshold.datePart().wireName());
            JdbcValues.setInstant(insert, 6, now);
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Finds executions of the target pipelines that started at or after {@code lookbackStart} and
     * whose end — or, while running, {@code now} — lies past their start plus the threshold. Failed
     * executions are not judged. Each late execution is logged the first time it is found.
     */
    public List<LateExecution> timeliness(
            Collection<CheckTarget> targets, Instant lookbackStart, Instant now) {
        Objects.requireNonNull(lookbackStart, "lookbackStart");
        Objects.requireNonNull(now, "now");
        Map<Long, Threshold> thresholds = byPipeline(targets);
        if (thresholds.isEmpty()) {
            return List.of();
        }
        return database.transaction(
                "check the timeliness of " + thresholds.size() + " pipelines",
                c -> {
                    List<LateExecution> late = new ArrayList<>();
                    String sql =
                            "SELECT id, pipeline_id, status, start_date, end_date"
                                    + " FROM pipeline_executions WHERE start_date >= ?"
                                    + " AND status <> ?"
                                    + inList(thresholds.size()).replace(" WHERE ", " AND ");
                    try (PreparedStatement query = c.prepareStatement(sql)) {
                        JdbcValues.setInstant(query, 1, lookbackStart);
                        query.setString(2, ExecutionStatus.FAILED.wireName());
                        bindIds(query, 3, thresholds.keySet());
                        try (ResultSet row = query.executeQuery()) {
                            while (row.next()) {
                                Threshold threshold = thresholds.get(row.getLong("pipeline_id"));
                                if (threshold == null) {
                                    continue;
                                }
                                Instant start = JdbcValues.getInstant(row, "start_date");
                                Instant end = JdbcValues.getInstant(row, "end_date");
                                Instant deadline = threshold.after(start);
                                Instant reached = end == null ? now : end;
                                if (reached.isAfter(deadline)) {
                                    late.add(
                                            new LateExecution(
                                                    row.getLong("id"),
                                                    row.getLong("pipeline_id"),
                                                    ExecutionStatus.fromWireName(
                                                            row.getString("status")),
                                                    start,
                                                    end,
                                                    deadline,
                                                    Duration.between(start, reached).getSeconds(),
                                                    threshold,
                                                    false));
                                }
                            }
                        }
                    }
                    List<LateExecution> logged = new ArrayList<>(late.size());
                    for (LateExecution execution : late) {
                        logged.add(logTimeliness(c, execution, now));
                    }
                    return logged;
                });
    }

    private static LateExecution logTimeliness(Connection c, LateExecution late, Instant now)
            throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO timeliness_pipeline_execution_logs (pipeline_execution_id,"
                                + " pipeline_id, execution_status, deadline, running_seconds,"
                                + " threshold_number, threshold_datepart, logged_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (pipeline_execution_id) DO NOTHING")) {
            insert.setLong(1, late.executionId());
            insert.setLong(2, late.pipelineId());
            insert.setString(3, late.status().wireName());
            JdbcValues.setInstant(insert, 4, late.deadline());
            insert.setLong(5, late.runningSeconds());
            insert.setInt(6, late.threshold().number());
            insert.setString(7, late.threshold().datePart().wireName());
            JdbcValues.setInstant(insert, 8, now);
            boolean newlyLogged = insert.executeUpdate() == 1;
            return new LateExecution(
                    late.executionId(),
                    late.pipelineId(),
                    late.status(),
                    late.start(),
                    late.end(),
                    late.deadline(),
                    late.runningSeconds(),
                    late.threshold(),
                    newlyLogged);
        }
    }

    /** How many freshness breaches have been logged for the pipeline. */
    public long freshnessLogCount(long pipelineId) {
        return count("freshness_pipeline_logs", pipelineId);
    }

    /** How many late executions have been logged for the pipeline. */
    public long timelinessLogCount(long pipelineId) {
        return count("timeliness_pipeline_execution_logs", pipelineId);
    }

    private long count(String table, long pipelineId) {
        return database.transaction(
                "count the rows of " + table + " for pipeline " + pipelineId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT count(*) FROM " + table + " WHERE pipeline_id = ?")) {
                        query.setLong(1, pipelineId);
                        try (ResultSet row = query.executeQuery()) {
                            row.next();
                            return row.getLong(1);
                        }
                    }
                });
    }

    private static Map<Long, Threshold> byPipeline(Collection<CheckTarget> targets) {
        Objects.requireNonNull(targets, "targets");
        Map<Long, Threshold> thresholds = new HashMap<>();
        for (CheckTarget target : targets) {
            thresholds.put(target.pipelineId(), target.threshold());
        }
        return thresholds;
    }

    private static String inList(int size) {
        if (size > MAX_IN_LIST) {
            return "";
        }
        return " WHERE pipeline_id IN ("
                + java.util.stream.IntStream.range(0, size)
                        .mapToObj(i -> "?")
                        .collect(Collectors.joining(", "))
                + ")";
    }

    private static void bindIds(PreparedStatement statement, Collection<Long> ids)
            throws SQLException {
        bindIds(statement, 1, ids);
    }

    private static void bindIds(PreparedStatement statement, int from, Collection<Long> ids)
            throws SQLException {
        if (ids.size() > MAX_IN_LIST) {
            return;
        }
        int i = from;
        for (long id : ids) {
            statement.setLong(i++, id);
        }
    }
}

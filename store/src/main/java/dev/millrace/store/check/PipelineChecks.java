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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    /** Breaches logged per INSERT statement. */
    private static final int LOG_CHUNK = 500;

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
                    List<FreshnessBreach> unlogged = new ArrayList<>();
                    Map<Long, Instant> lastLogged = new HashMap<>();
                    for (DmlTimes times : dmlTimes(c, thresholds.keySet(), lastLogged)) {
                        Threshold threshold = thresholds.get(times.pipelineId());
                        if (threshold == null || times.latest().isEmpty()) {
                            continue;
                        }
                        Instant lastDml = times.latest().get();
                        Instant deadline = threshold.after(lastDml);
                        if (now.isAfter(deadline)) {
                            breaches.add(
                                    new FreshnessBreach(
                                            times.pipelineId(),
                                            lastDml,
                                            deadline,
                                            threshold,
                                            false));
                        }
                    }
                    Set<String> logged = logFreshness(c, breaches, now);
                    breaches.replaceAll(
                            b ->
                                    new FreshnessBreach(
                                            b.pipelineId(),
                                            b.lastDml(),
                                            b.deadline(),
                                            b.threshold(),
                                            logged.contains(key(b.pipelineId(), b.lastDml()))));
                    return breaches;
                });
    }

    /**
     * The DML times of the pipelines, and into {@code lastLogged} the newest DML time each has a
     * breach logged for: re-checking an already logged breach then costs no insert at all.
     */
    private static List<DmlTimes> dmlTimes(
            Connection c, Collection<Long> pipelineIds, Map<Long, Instant> lastLogged)
            throws SQLException {
        String sql =
                "SELECT pipeline_id, last_target_insert, last_target_update,"
                        + " last_target_soft_delete, (SELECT max(l.last_dml_timestamp)"
                        + " FROM freshness_pipeline_logs l"
                        + " WHERE l.pipeline_id = pipeline_dml_times.pipeline_id) AS last_logged"
                        + " FROM pipeline_dml_times"
                        + inList(pipelineIds.size());
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bindIds(query, pipelineIds);
            List<DmlTimes> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    DmlTimes times = PipelineExecutions.dmlTimes(row);
                    rows.add(times);
                    Instant logged = JdbcValues.getInstant(row, "last_logged");
                    if (logged != null) {
                        lastLogged.put(times.pipelineId(), logged);
                    }
                }
            }
            return rows;
        }
    }

    /**
     * Logs the breaches not logged before, in multi-row statements (one statement per row costs
     * milliseconds each on DuckDB), and returns the keys this call logged: {@code ON CONFLICT DO
     * NOTHING RETURNING} answers only the rows it inserted, which also settles a race with another
     * process sharing a PostgreSQL store.
     */
    private static Set<String> logFreshness(
            Connection c, List<FreshnessBreach> breaches, Instant now) throws SQLException {
        Set<String> logged = new HashSet<>();
        for (int from = 0; from < breaches.size(); from += LOG_CHUNK) {
            List<FreshnessBreach> chunk =
                    breaches.subList(from, Math.min(breaches.size(), from + LOG_CHUNK));
            try (PreparedStatement insert =
                    c.prepareStatement(
                            "INSERT INTO freshness_pipeline_logs (pipeline_id, last_dml_timestamp,"
                                    + " deadline, threshold_number, threshold_datepart, logged_at)"
                                    + " VALUES "
                                    + rows(chunk.size(), 6)
                                    + " ON CONFLICT (pipeline_id, last_dml_timestamp) DO NOTHING"
                                    + " RETURNING pipeline_id, last_dml_timestamp")) {
                int i = 1;
                for (FreshnessBreach b : chunk) {
                    insert.setLong(i++, b.pipelineId());
                    JdbcValues.setInstant(insert, i++, b.lastDml());
                    JdbcValues.setInstant(insert, i++, b.deadline());
                    insert.setInt(i++, b.threshold().number());
                    insert.setString(i++, b.threshold().datePart().wireName());
                    JdbcValues.setInstant(insert, i++, now);
                }
                try (ResultSet row = insert.executeQuery()) {
                    while (row.next()) {
                        logged.add(
                                key(
                                        row.getLong("pipeline_id"),
                                        JdbcValues.getInstant(row, "last_dml_timestamp")));
                    }
                }
            }
        }
        return logged;
    }

    private static String key(long pipelineId, Instant instant) {
        return pipelineId + "@" + instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String rows(int count, int columns) {
        String row =
                java.util.stream.IntStream.range(0, columns)
                        .mapToObj(i -> "?")
                        .collect(Collectors.joining(", ", "(", ")"));
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> row)
                .collect(Collectors.joining(", "));
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
                            "SELECT e.id, e.pipeline_id, e.status, e.start_date, e.end_date,"
                                    + " l.pipeline_execution_id AS logged_id"
                                    + " FROM pipeline_executions e"
                                    + " LEFT JOIN timeliness_pipeline_execution_logs l"
                                    + " ON l.pipeline_execution_id = e.id"
                                    + " WHERE e.start_date >= ? AND e.status <> ?"
                                    + inList(thresholds.size())
                                            .replace(" WHERE pipeline_id", " AND e.pipeline_id");
                    Set<Long> alreadyLogged = new HashSet<>();
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
                                    row.getLong("logged_id");
                                    if (!row.wasNull()) {
                                        alreadyLogged.add(row.getLong("id"));
                                    }
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
                    Set<Long> logged =
                            logTimeliness(
                                    c,
                                    late.stream()
                                            .filter(l -> !alreadyLogged.contains(l.executionId()))
                                            .toList(),
                                    now);
                    late.replaceAll(
                            l ->
                                    new LateExecution(
                                            l.executionId(),
                                            l.pipelineId(),
                                            l.status(),
                                            l.start(),
                                            l.end(),
                                            l.deadline(),
                                            l.runningSeconds(),
                                            l.threshold(),
                                            logged.contains(l.executionId())));
                    return late;
                });
    }

    /** Logs the late executions not logged before; returns the ids this call logged. */
    private static Set<Long> logTimeliness(Connection c, List<LateExecution> late, Instant now)
            throws SQLException {
        Set<Long> logged = new HashSet<>();
        for (int from = 0; from < late.size(); from += LOG_CHUNK) {
            List<LateExecution> chunk = late.subList(from, Math.min(late.size(), from + LOG_CHUNK));
            try (PreparedStatement insert =
                    c.prepareStatement(
                            "INSERT INTO timeliness_pipeline_execution_logs"
                                    + " (pipeline_execution_id, pipeline_id, execution_status,"
                                    + " deadline, running_seconds, threshold_number,"
                                    + " threshold_datepart, logged_at) VALUES "
                                    + rows(chunk.size(), 8)
                                    + " ON CONFLICT (pipeline_execution_id) DO NOTHING"
                                    + " RETURNING pipeline_execution_id")) {
                int i = 1;
                for (LateExecution l : chunk) {
                    insert.setLong(i++, l.executionId());
                    insert.setLong(i++, l.pipelineId());
                    insert.setString(i++, l.status().wireName());
                    JdbcValues.setInstant(insert, i++, l.deadline());
                    insert.setLong(i++, l.runningSeconds());
                    insert.setInt(i++, l.threshold().number());
                    insert.setString(i++, l.threshold().datePart().wireName());
                    JdbcValues.setInstant(insert, i++, now);
                }
                try (ResultSet row = insert.executeQuery()) {
                    while (row.next()) {
                        logged.add(row.getLong(1));
                    }
                }
            }
        }
        return logged;
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

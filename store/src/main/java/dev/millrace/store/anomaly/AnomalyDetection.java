package dev.millrace.store.anomaly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.execution.Metric;
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
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Z-score anomaly detection over execution metrics, with the Watcher's baseline: the same
 * pipeline's successful executions that started in the same UTC hour of day and ended within the
 * rule's lookback, without the ones already flagged for the metric and without the execution being
 * judged; sample standard deviation; band {@code max(0, mean − z·std)} … {@code mean + z·std}.
 *
 * <p>Each method is one transaction on the store's {@link Database}.
 */
public final class AnomalyDetection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;

    public AnomalyDetection(Database database) {
        this.database = database;
    }

    /**
     * Judges one execution by one rule, recording nothing.
     *
     * @throws NoSuchElementException if there is no execution with that id
     * @throws IllegalArgumentException if the execution belongs to another pipeline than the rule
     */
    public Evaluation evaluate(AnomalyRule rule, long executionId) {
        Objects.requireNonNull(rule, "rule");
        return database.transaction(
                "evaluate rule " + rule.ruleId() + " for execution " + executionId,
                c -> evaluate(c, rule, executionId));
    }

    private static Evaluation evaluate(Connection c, AnomalyRule rule, long executionId)
            throws SQLException {
        Execution execution =
                PipelineExecutions.find(c, executionId)
                        .orElseThrow(
                                () ->
                                        new NoSuchElementException(
                                                "no execution with id " + executionId));
        if (execution.pipelineId() != rule.pipelineId()) {
            throw new IllegalArgumentException(
                    "execution "
                            + executionId
                            + " belongs to pipeline "
                            + execution.pipelineId()
                            + ", rule "
                            + rule.ruleId()
                            + " watches pipeline "
                            + rule.pipelineId());
        }
        int hour = execution.hourRecorded();
        Double value = execution.value(rule.metric());
        if (execution.status() != ExecutionStatus.SUCCEEDED) {
            return skipped(
                    rule, executionId, Evaluation.Outcome.NOT_SUCCEEDED, value, 0, hour, null);
        }
        Instant lookbackStart = execution.end().minus(Duration.ofDays(rule.lookbackDays()));
        if (value == null) {
            return skipped(
                    rule, executionId, Evaluation.Outcome.NO_VALUE, null, 0, hour, lookbackStart);
        }
        Metric metric = rule.metric();
        // The metric's column names come from the Metric enum, never from input.
        try (PreparedStatement baseline =
                c.prepareStatement(
                        "SELECT count(v) AS n, avg(v) AS mean, stddev_samp(v) AS std FROM ("
                                + " SELECT CAST("
                                + metric.column()
                                + " AS DOUBLE PRECISION) AS v FROM pipeline_executions"
                                + " WHERE pipeline_id = ? AND hour_recorded = ? AND status = ?"
                                + " AND end_date >= ? AND id <> ? AND NOT "
                                + metric.flagColumn()
                                + " AND "
                                + metric.column()
                                + " IS NOT NULL) baseline")) {
            baseline.setLong(1, rule.pipelineId());
            baseline.setInt(2, hour);
            baseline.setString(3, ExecutionStatus.SUCCEEDED.wireName());
            JdbcValues.setInstant(baseline, 4, lookbackStart);
            baseline.setLong(5, executionId);
            try (ResultSet row = baseline.executeQuery()) {
                row.next();
                long n = row.getLong("n");
                if (n < rule.minimumExecutions()) {
                    return skipped(
                            rule,
                            executionId,
                            Evaluation.Outcome.TOO_FEW_EXECUTIONS,
                            value,
                            n,
                            hour,
                            lookbackStart);
                }
                double mean = row.getDouble("mean");
                double std = row.getDouble("std");
                if (row.wasNull() || std == 0) {
                    return new Evaluation(
                            rule,
                            executionId,
                            Evaluation.Outcome.NO_SPREAD,
                            value,
                            n,
                            mean,
                            0.0,
                            null,
                            null,
                            null,
                            hour,
                            lookbackStart);
                }
                double lower = Math.max(0, mean - rule.zThreshold() * std);
                double upper = mean + rule.zThreshold() * std;
                boolean outside = value < lower || value > upper;
                return new Evaluation(
                        rule,
                        executionId,
                        outside ? Evaluation.Outcome.ANOMALOUS : Evaluation.Outcome.NORMAL,
                        value,
                        n,
                        mean,
                        std,
                        (value - mean) / std,
                        lower,
                        upper,
                        hour,
                        lookbackStart);
            }
        }
    }

    private static Evaluation skipped(
            AnomalyRule rule,
            long executionId,
            Evaluation.Outcome outcome,
            Double value,
            long baselineSize,
            int hour,
            Instant lookbackStart) {
        return new Evaluation(
                rule,
                executionId,
                outcome,
                value,
                baselineSize,
                null,
                null,
                null,
                null,
                null,
                hour,
                lookbackStart);
    }

    /**
     * Records an anomalous evaluation: a result row for (rule, execution) and the execution's flag
     * for the metric, which keeps its value out of later baselines.
     *
     * @return true if this call recorded it, false if the rule had flagged the execution already
     * @throws IllegalArgumentException if the evaluation is not anomalous
     */
    public boolean record(Evaluation evaluation, Instant detectedAt) {
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(detectedAt, "detectedAt");
        if (!evaluation.anomalous()) {
            throw new IllegalArgumentException(
                    "only an anomalous evaluation is recorded, this one is "
                            + evaluation.outcome());
        }
        return database.transaction(
                "record an anomaly of execution " + evaluation.executionId(),
                c -> {
                    boolean inserted;
                    try (PreparedStatement insert =
                            c.prepareStatement(
                                    "INSERT INTO anomaly_detection_results (rule_id,"
                                            + " pipeline_execution_id, pipeline_id, metric_field,"
                                            + " violation_value, z_score, historical_mean,"
                                            + " std_deviation_value, threshold_min_value,"
                                            + " threshold_max_value, context, detected_at)"
                                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                            + " ON CONFLICT (rule_id, pipeline_execution_id)"
                                            + " DO NOTHING")) {
                        AnomalyRule rule = evaluation.rule();
                        insert.setLong(1, rule.ruleId());
                        insert.setLong(2, evaluation.executionId());
                        insert.setLong(3, rule.pipelineId());
                        insert.setString(4, rule.metric().wireName());
                        insert.setDouble(5, evaluation.value());
                        insert.setDouble(6, evaluation.zScore());
                        insert.setDouble(7, evaluation.mean());
                        insert.setDouble(8, evaluation.stddev());
                        insert.setDouble(9, evaluation.lowerBound());
                        insert.setDouble(10, evaluation.upperBound());
                        insert.setString(11, context(evaluation));
                        JdbcValues.setInstant(insert, 12, detectedAt);
                        inserted = insert.executeUpdate() == 1;
                    }
                    try (PreparedStatement flag =
                            c.prepareStatement(
                                    "UPDATE pipeline_executions SET "
                                            + evaluation.metric().flagColumn()
                                            + " = TRUE WHERE id = ?")) {
                        flag.setLong(1, evaluation.executionId());
                        flag.executeUpdate();
                    }
                    return inserted;
                });
    }

    private static String context(Evaluation evaluation) {
        ObjectNode context = JSON.createObjectNode();
        context.put("baseline_size", evaluation.baselineSize());
        context.put("hour_of_day", evaluation.hourOfDay());
        context.put("lookback_days", evaluation.rule().lookbackDays());
        context.put("lookback_start", evaluation.lookbackStart().toString());
        context.put("minimum_executions", evaluation.rule().minimumExecutions());
        context.put("z_threshold", evaluation.rule().zThreshold());
        return context.toString();
    }

    /**
     * Takes back anomalies of an execution for the given metrics: their result rows go and the
     * flags clear, so the values count in baselines again.
     *
     * @return whether anything was unflagged
     */
    public boolean unflag(long executionId, Set<Metric> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        if (metrics.isEmpty()) {
            return false;
        }
        return database.transaction(
                "unflag anomalies of execution " + executionId,
                c -> {
                    String placeholders =
                            metrics.stream().map(m -> "?").collect(Collectors.joining(", "));
                    int deleted;
                    try (PreparedStatement delete =
                            c.prepareStatement(
                                    "DELETE FROM anomaly_detection_results"
                                            + " WHERE pipeline_execution_id = ?"
                                            + " AND metric_field IN ("
                                            + placeholders
                                            + ")")) {
                        delete.setLong(1, executionId);
                        int i = 2;
                        for (Metric metric : metrics) {
                            delete.setString(i++, metric.wireName());
                        }
                        deleted = delete.executeUpdate();
                    }
                    String anyFlag =
                            metrics.stream()
                                    .map(Metric::flagColumn)
                                    .collect(Collectors.joining(" OR "));
                    String clear =
                            metrics.stream()
                                    .map(m -> m.flagColumn() + " = FALSE")
                                    .collect(Collectors.joining(", "));
                    int cleared;
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE pipeline_executions SET "
                                            + clear
                                            + " WHERE id = ? AND ("
                                            + anyFlag
                                            + ")")) {
                        update.setLong(1, executionId);
                        cleared = update.executeUpdate();
                    }
                    return deleted > 0 || cleared > 0;
                });
    }

    /** The anomalies recorded for an execution, by rule id. */
    public List<AnomalyResult> resultsOf(long executionId) {
        return database.transaction(
                "list the anomalies of execution " + executionId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT rule_id, pipeline_execution_id, pipeline_id,"
                                            + " metric_field, violation_value, z_score,"
                                            + " historical_mean, std_deviation_value,"
                                            + " threshold_min_value, threshold_max_value, context,"
                                            + " detected_at FROM anomaly_detection_results WHERE"
                                            + " pipeline_execution_id = ? ORDER BY rule_id")) {
                        query.setLong(1, executionId);
                        List<AnomalyResult> results = new ArrayList<>();
                        try (ResultSet row = query.executeQuery()) {
                            while (row.next()) {
                                results.add(
                                        new AnomalyResult(
                                                row.getLong("rule_id"),
                                                row.getLong("pipeline_execution_id"),
                                                row.getLong("pipeline_id"),
                                                Metric.fromWireName(row.getString("metric_field")),
                                                row.getDouble("violation_value"),
                                                row.getDouble("z_score"),
                                                row.getDouble("historical_mean"),
                                                row.getDouble("std_deviation_value"),
                                                row.getDouble("threshold_min_value"),
                                                row.getDouble("threshold_max_value"),
                                                row.getString("context"),
                                                JdbcValues.getInstant(row, "detected_at")));
                            }
                        }
                        return results;
                    }
                });
    }

    /** How many executions the rule has flagged (and not had unflagged). */
    public long countForRule(long ruleId) {
        return database.transaction(
                "count the anomalies of rule " + ruleId,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT count(*) FROM anomaly_detection_results"
                                            + " WHERE rule_id = ?")) {
                        query.setLong(1, ruleId);
                        try (ResultSet row = query.executeQuery()) {
                            row.next();
                            return row.getLong(1);
                        }
                    }
                });
    }
}

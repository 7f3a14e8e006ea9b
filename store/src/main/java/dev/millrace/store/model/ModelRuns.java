package dev.millrace.store.model;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The run history of SQL Models. Like sync jobs, every change is idempotent: allocating is keyed by
 * the request, a run that ended never changes again, and starting keeps the first start time. Each
 * method is one transaction of the store's database.
 */
public final class ModelRuns {
    private static final String COLUMNS =
            "id, namespace, model_name, model_uid, request_key, cascade_run, status, created_at,"
                    + " started_at, ended_at, row_count, error, result_json";
    private static final String TERMINAL = "('succeeded', 'failed', 'skipped')";

    private final Database database;

    public ModelRuns(Database database) {
        this.database = database;
    }

    /** The run for the request's (model uid, request key), created PENDING the first time. */
    public ModelRunRecord allocate(ModelRunRequest request) {
        Objects.requireNonNull(request, "request");
        return database.transaction(
                "allocate a run of model " + request.namespace() + "/" + request.model(),
                c -> {
                    Optional<ModelRunRecord> existing =
                            find(c, request.modelUid(), request.requestKey());
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    try (PreparedStatement insert =
                            c.prepareStatement(
                                    "INSERT INTO model_runs (id, namespace, model_name, model_uid,"
                                            + " request_key, cascade_run, status, created_at)"
                                            + " VALUES (nextval('job_ids'), ?, ?, ?, ?, ?, ?, ?)"
                                            + " ON CONFLICT (model_uid, request_key) DO NOTHING")) {
                        insert.setString(1, request.namespace());
                        insert.setString(2, request.model());
                        insert.setString(3, request.modelUid());
                        insert.setString(4, request.requestKey());
                        insert.setBoolean(5, request.cascade());
                        insert.setString(6, ModelRunStatus.PENDING.wireName());
                        JdbcValues.setInstant(insert, 7, Instant.now());
                        insert.executeUpdate();
                    }
                    return find(c, request.modelUid(), request.requestKey()).orElseThrow();
                });
    }

    /** Marks a pending run running; the first start time is kept, other statuses are left. */
    public void markRunning(long id, Instant startedAt) {
        Objects.requireNonNull(startedAt, "startedAt");
        database.transaction(
                "mark model run " + id + " running",
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE model_runs SET status = 'running',"
                                            + " started_at = COALESCE(started_at, ?)"
                                            + " WHERE id = ? AND status = 'pending'")) {
                        JdbcValues.setInstant(update, 1, startedAt);
                        update.setLong(2, id);
                        requireRunIfNothingChanged(c, id, update.executeUpdate());
                    }
                    return null;
                });
    }

    /**
     * Records how a run ended, once.
     *
     * @param status SUCCEEDED, FAILED or SKIPPED
     * @return true if this call ended the run, false if it had already ended
     */
    public boolean complete(
            long id,
            ModelRunStatus status,
            Instant endedAt,
            Long rowCount,
            String error,
            String resultJson) {
        Objects.requireNonNull(endedAt, "endedAt");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run ends succeeded, failed or skipped");
        }
        return database.transaction(
                "complete model run " + id,
                c -> {
                    try (PreparedStatement update =
                            c.prepareStatement(
                                    "UPDATE model_runs SET status = ?, ended_at = ?,"
                                            + " row_count = ?, error = ?, result_json = ?"
                                            + " WHERE id = ? AND status NOT IN "
                                            + TERMINAL)) {
                        update.setString(1, status.wireName());
                        JdbcValues.setInstant(update, 2, endedAt);
                        JdbcValues.setNullableLong(update, 3, rowCount);
                        JdbcValues.setNullableString(update, 4, error);
                        JdbcValues.setNullableString(update, 5, resultJson);
                        update.setLong(6, id);
                        int changed = update.executeUpdate();
                        requireRunIfNothingChanged(c, id, changed);
                        return changed == 1;
                    }
                });
    }

    public Optional<ModelRunRecord> find(long id) {
        return database.transaction(
                "find model run " + id,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT " + COLUMNS + " FROM model_runs WHERE id = ?")) {
                        query.setLong(1, id);
                        return first(query);
                    }
                });
    }

    /** The model's run for one request, if that request reached it. */
    public Optional<ModelRunRecord> find(String modelUid, String requestKey) {
        return database.transaction("find a model run", c -> find(c, modelUid, requestKey));
    }

    /** The newest {@code limit} runs of a model (by name, across re-creations), newest first. */
    public List<ModelRunRecord> latest(String namespace, String model, int limit) {
        return database.transaction(
                "list runs of model " + namespace + "/" + model,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM model_runs WHERE namespace = ? AND"
                                            + " model_name = ? ORDER BY id DESC LIMIT ?")) {
                        query.setString(1, namespace);
                        query.setString(2, model);
                        query.setInt(3, limit);
                        return all(query);
                    }
                });
    }

    /** The model's runs that have not ended, newest first. */
    public List<ModelRunRecord> active(String namespace, String model) {
        return database.transaction(
                "list active runs of model " + namespace + "/" + model,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM model_runs WHERE namespace = ? AND"
                                            + " model_name = ? AND status NOT IN "
                                            + TERMINAL
                                            + " ORDER BY id DESC")) {
                        query.setString(1, namespace);
                        query.setString(2, model);
                        return all(query);
                    }
                });
    }

    private static Optional<ModelRunRecord> find(Connection c, String modelUid, String requestKey)
            throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM model_runs WHERE model_uid = ? AND request_key = ?")) {
            query.setString(1, modelUid);
            query.setString(2, requestKey);
            return first(query);
        }
    }

    private static void requireRunIfNothingChanged(Connection c, long id, int changed)
            throws SQLException {
        if (changed == 0) {
            try (PreparedStatement query =
                    c.prepareStatement("SELECT count(*) FROM model_runs WHERE id = ?")) {
                query.setLong(1, id);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    if (row.getLong(1) == 0) {
                        throw new NoSuchElementException("no model run with id " + id);
                    }
                }
            }
        }
    }

    private static Optional<ModelRunRecord> first(PreparedStatement query) throws SQLException {
        List<ModelRunRecord> rows = all(query);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<ModelRunRecord> all(PreparedStatement query) throws SQLException {
        List<ModelRunRecord> runs = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                runs.add(
                        new ModelRunRecord(
                                row.getLong("id"),
                                row.getString("namespace"),
                                row.getString("model_name"),
                                row.getString("model_uid"),
                                row.getString("request_key"),
                                row.getBoolean("cascade_run"),
                                ModelRunStatus.fromWireName(row.getString("status")),
                                JdbcValues.getInstant(row, "created_at"),
                                JdbcValues.getInstant(row, "started_at"),
                                JdbcValues.getInstant(row, "ended_at"),
                                JdbcValues.getNullableLong(row, "row_count"),
                                row.getString("error"),
                                row.getString("result_json")));
            }
        }
        return runs;
    }
}

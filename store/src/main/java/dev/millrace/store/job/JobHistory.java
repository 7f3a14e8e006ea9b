package dev.millrace.store.job;

import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The sync jobs of all connections. Every change is idempotent, because the operator that makes
 * them may be restarted at any point and replay what it already did: allocating is keyed by the
 * request, a terminal job never changes again, and starting keeps the first start time.
 *
 * <p>Statements only: the caller ({@code Store}) runs each method in a transaction.
 */
public final class JobHistory {

    private static final String COLUMNS =
            "id, namespace, connection_name, connection_uid, source_name, request_key, job_type,"
                    + " status, full_refresh, created_at, started_at, ended_at, rows_synced,"
                    + " bytes_synced, error, result_json";

    private static final String TERMINAL =
            sqlList(Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal));

    // INCOMPLETE can start again: Airbyte retries a job whose attempt failed.
    private static final String STARTABLE =
            sqlList(Stream.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.INCOMPLETE));

    /**
     * The job for {@code request}'s (connection uid, request key), created PENDING with the next id
     * of the global job sequence if there is none. The first request wins: a later one with the
     * same key gets the existing job even if its other fields differ.
     */
    public JobRecord allocate(Connection connection, JobRequest request, Instant now)
            throws SQLException {
        Optional<JobRecord> existing = findByRequest(connection, request);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO jobs (id, namespace, connection_name, connection_uid,"
                                + " source_name, request_key, job_type, status, full_refresh,"
                                + " created_at, rows_synced, bytes_synced)"
                                + " VALUES (nextval('job_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)"
                                + " ON CONFLICT (connection_uid, request_key) DO NOTHING"
                                + " RETURNING "
                                + COLUMNS)) {
            insert.setString(1, request.namespace());
            insert.setString(2, request.connection());
            insert.setString(3, request.connectionUid());
            insert.setString(4, request.source());
            insert.setString(5, request.requestKey());
            insert.setString(6, request.type().wireName());
            insert.setString(7, JobStatus.PENDING.wireName());
            insert.setBoolean(8, request.fullRefresh());
            JdbcValues.setInstant(insert, 9, now);
            Optional<JobRecord> created = first(insert);
            if (created.isPresent()) {
                return created.get();
            }
        }
        // Another process sharing a PostgreSQL store allocated the same request first; its job is
        // the answer.
        return findByRequest(connection, request).orElseThrow();
    }

    private static Optional<JobRecord> findByRequest(Connection connection, JobRequest request)
            throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM jobs WHERE connection_uid = ? AND request_key = ?")) {
            query.setString(1, request.connectionUid());
            query.setString(2, request.requestKey());
            return first(query);
        }
    }

    /** Moves a pending job to queued; any other status is left as it is. */
    public void markQueued(Connection connection, long id) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE jobs SET status = ? WHERE id = ? AND status = ?")) {
            update.setString(1, JobStatus.QUEUED.wireName());
            update.setLong(2, id);
            update.setString(3, JobStatus.PENDING.wireName());
            requireJobIfNothingChanged(connection, id, update.executeUpdate());
        }
    }

    /**
     * Moves a pending, queued or incomplete job to running. The first start time is kept, so a
     * replayed or retried start does not move it; running and terminal jobs are left as they are.
     */
    public void markRunning(Connection connection, long id, Instant startedAt) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE jobs SET status = ?, started_at = COALESCE(started_at, ?)"
                                + " WHERE id = ? AND status IN "
                                + STARTABLE)) {
            update.setString(1, JobStatus.RUNNING.wireName());
            JdbcValues.setInstant(update, 2, startedAt);
            update.setLong(3, id);
            requireJobIfNothingChanged(connection, id, update.executeUpdate());
        }
    }

    /**
     * Records the end of a job unless it has already ended.
     *
     * @return true if this call ended the job, false if it was already terminal
     */
    public boolean complete(
            Connection connection,
            long id,
            JobStatus terminalStatus,
            Instant endedAt,
            long rowsSynced,
            long bytesSynced,
            String error,
            String resultJson)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE jobs SET status = ?, ended_at = ?, rows_synced = ?,"
                                + " bytes_synced = ?, error = ?, result_json = ?"
                                + " WHERE id = ? AND status NOT IN "
                                + TERMINAL)) {
            update.setString(1, terminalStatus.wireName());
            JdbcValues.setInstant(update, 2, endedAt);
            update.setLong(3, rowsSynced);
            update.setLong(4, bytesSynced);
            JdbcValues.setNullableString(update, 5, error);
            JdbcValues.setNullableString(update, 6, resultJson);
            update.setLong(7, id);
            int changed = update.executeUpdate();
            requireJobIfNothingChanged(connection, id, changed);
            return changed == 1;
        }
    }

    // An update that matched nothing is either a job in a status the change does not apply to,
    // which is fine, or an id that was never allocated, which is a caller's bug worth surfacing.
    private void requireJobIfNothingChanged(Connection connection, long id, int changed)
            throws SQLException {
        if (changed == 0 && find(connection, id).isEmpty()) {
            throw new NoSuchElementException("no job with id " + id);
        }
    }

    public Optional<JobRecord> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            query.setLong(1, id);
            return first(query);
        }
    }

    /** One page of the jobs {@code q} matches, newest (highest id) first. */
    public List<JobRecord> list(Connection connection, JobQuery q) throws SQLException {
        Filter filter = Filter.of(q);
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM jobs"
                                + filter.where()
                                + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
            int next = filter.bind(query);
            query.setInt(next, q.limit());
            query.setInt(next + 1, q.offset());
            return all(query);
        }
    }

    /** How many jobs {@code q} matches, ignoring its page. */
    public long count(Connection connection, JobQuery q) throws SQLException {
        Filter filter = Filter.of(q);
        try (PreparedStatement query =
                connection.prepareStatement("SELECT count(*) FROM jobs" + filter.where())) {
            filter.bind(query);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The connection's jobs that have not ended, newest first. */
    public List<JobRecord> active(Connection connection, String namespace, String connectionName)
            throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM jobs WHERE namespace = ? AND connection_name = ?"
                                + " AND status NOT IN "
                                + TERMINAL
                                + " ORDER BY id DESC")) {
            query.setString(1, namespace);
            query.setString(2, connectionName);
            return all(query);
        }
    }

    /** A WHERE clause for a query's filters, with its parameters in order. */
    private record Filter(String where, List<String> parameters) {

        static Filter of(JobQuery q) {
            List<String> conditions = new ArrayList<>();
            List<String> parameters = new ArrayList<>();
            if (q.namespace() != null) {
                conditions.add("namespace = ?");
                parameters.add(q.namespace());
            }
            if (q.connection() != null) {
                conditions.add("connection_name = ?");
                parameters.add(q.connection());
            }
            if (q.source() != null) {
                conditions.add("source_name = ?");
                parameters.add(q.source());
            }
            if (!q.statuses().isEmpty()) {
                conditions.add(
                        "status IN ("
                                + String.join(", ", q.statuses().stream().map(s -> "?").toList())
                                + ")");
                q.statuses().forEach(status -> parameters.add(status.wireName()));
            }
            if (q.type() != null) {
                conditions.add("job_type = ?");
                parameters.add(q.type().wireName());
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            return new Filter(where, parameters);
        }

        /** Binds the parameters from index 1 and returns the next free index. */
        int bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            return parameters.size() + 1;
        }
    }

    private static Optional<JobRecord> first(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private static List<JobRecord> all(PreparedStatement query) throws SQLException {
        List<JobRecord> jobs = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                jobs.add(read(rows));
            }
        }
        return jobs;
    }

    private static JobRecord read(ResultSet row) throws SQLException {
        return new JobRecord(
                row.getLong("id"),
                row.getString("namespace"),
                row.getString("connection_name"),
                row.getString("connection_uid"),
                row.getString("source_name"),
                row.getString("request_key"),
                JobType.fromWireName(row.getString("job_type")),
                JobStatus.fromWireName(row.getString("status")),
                row.getBoolean("full_refresh"),
                JdbcValues.getInstant(row, "created_at"),
                JdbcValues.getInstant(row, "started_at"),
                JdbcValues.getInstant(row, "ended_at"),
                row.getLong("rows_synced"),
                row.getLong("bytes_synced"),
                row.getString("error"),
                row.getString("result_json"));
    }

    private static String sqlList(Stream<JobStatus> statuses) {
        // Literals from the enum, never from input, so inlining them is safe.
        return statuses.map(status -> "'" + status.wireName() + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }
}

package dev.millrace.sync.destination.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.millrace.sync.SyncEnvironment;
import dev.millrace.sync.SyncLog;
import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.plan.PlanValidator;
import dev.millrace.sync.plan.PostgresPlan;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.state.LedgerEntry;
import dev.millrace.sync.state.StreamState;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * One connection to the destination PostgreSQL database holding the sync's single transaction:
 * every stream's rows, the file ledger and the cursors (schema {@code _millrace}) commit together
 * or, when the sync fails, is cancelled or its process dies, not at all — the server rolls back a
 * transaction whose client went away.
 */
public final class PostgresDestination implements AutoCloseable {

    private static final ObjectMapper JSON =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final String LEDGER =
            Sql.identifier(PlanValidator.STATE_SCHEMA) + ".file_ledger";
    private static final String STATE =
            Sql.identifier(PlanValidator.STATE_SCHEMA) + ".stream_state";

    private final Connection connection;
    private final String schema;
    private final String namespace;
    private final String connectionName;
    private final AtomicReference<Statement> running = new AtomicReference<>();
    private boolean stateTablesReady;

    private PostgresDestination(
            Connection connection, String schema, String namespace, String connectionName) {
        this.connection = connection;
        this.schema = schema;
        this.namespace = namespace;
        this.connectionName = connectionName;
    }

    /**
     * Connects and starts the transaction. An advisory lock on the connection's name makes a second
     * sync of the same connection wait for this one instead of reading a cursor about to move.
     */
    public static PostgresDestination open(
            PostgresPlan plan, SyncEnvironment env, String schema, String namespace, String name)
            throws SQLException {
        Properties properties = new Properties();
        plan.options().forEach(properties::setProperty);
        if (plan.username() != null) {
            properties.setProperty("user", plan.username());
        }
        if (plan.passwordEnv() != null) {
            String password = env.variable(plan.passwordEnv());
            if (password == null) {
                throw new SyncFailure(
                        "environment variable "
                                + plan.passwordEnv()
                                + " (destination.postgres.passwordEnv) is not set; the Job gets it"
                                + " from the Connector's secretRef");
            }
            properties.setProperty("password", password);
        }
        properties.putIfAbsent("ApplicationName", "millrace-sync");
        String url =
                "jdbc:postgresql://"
                        + plan.host()
                        + ":"
                        + (plan.port() == null ? 5432 : plan.port())
                        + "/"
                        + plan.database();
        Connection connection = DriverManager.getConnection(url, properties);
        try {
            connection.setAutoCommit(false);
            PostgresDestination destination =
                    new PostgresDestination(connection, schema, namespace, name);
            // Cursors are saved as text; UTC keeps timestamptz text the same whoever reads it.
            destination.update("SET TimeZone = 'UTC'");
            destination.update(
                    "SELECT pg_advisory_xact_lock(hashtext("
                            + Sql.literal("millrace-sync/" + namespace + "/" + name)
                            + "))");
            return destination;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public String schema() {
        return schema;
    }

    /** {@code "schema"."table"}. */
    public String table(String name) {
        return Sql.identifier(schema) + "." + Sql.identifier(name);
    }

    public boolean tableExists(String name) throws SQLException {
        return queryLong(
                        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                                + Sql.literal(schema)
                                + " AND tablename = "
                                + Sql.literal(name))
                > 0;
    }

    /** The columns of a table with PostgreSQL's spelling of their types, in table order. */
    public List<Column> columns(String name) throws SQLException {
        return query(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM"
                        + " pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass("
                        + Sql.literal(table(name))
                        + ") AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                row -> new Column(row.getString(1), row.getString(2)));
    }

    public long update(String sql) throws SQLException {
        return run(
                sql,
                statement -> {
                    boolean rows = statement.execute(sql);
                    return rows ? 0 : Math.max(0, statement.getLargeUpdateCount());
                });
    }

    public long queryLong(String sql) throws SQLException {
        return run(
                sql,
                statement -> {
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        rows.next();
                        return rows.getLong(1);
                    }
                });
    }

    public String queryString(String sql) throws SQLException {
        return run(
                sql,
                statement -> {
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        return rows.next() ? rows.getString(1) : null;
                    }
                });
    }

    public <T> List<T> query(String sql, RowReader<T> reader) throws SQLException {
        return run(
                sql,
                statement -> {
                    List<T> result = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            result.add(reader.read(rows));
                        }
                    }
                    return result;
                });
    }

    /**
     * Streams CSV into {@code COPY <table> FROM STDIN}. An interrupt of the sync thread stops the
     * copy at the next read.
     */
    public long copyCsv(String table, InputStream csv) throws SQLException, IOException {
        checkNotInterrupted();
        return connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", new InterruptibleStream(csv));
    }

    // ---- sync state, in the same transaction ----

    public List<LedgerEntry> ledger(String stream) throws SQLException {
        if (!stateTablesExist()) {
            return List.of();
        }
        return query(
                "SELECT path, size, mtime_us, \"rows\" FROM "
                        + LEDGER
                        + " WHERE "
                        + streamKey(stream)
                        + " ORDER BY path",
                row ->
                        new LedgerEntry(
                                row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
    }

    public void clearLedger(String stream) throws SQLException {
        if (stateTablesExist()) {
            update("DELETE FROM " + LEDGER + " WHERE " + streamKey(stream));
        }
    }

    public void forgetFiles(String stream, Collection<String> paths) throws SQLException {
        if (paths.isEmpty() || !stateTablesExist()) {
            return;
        }
        update(
                "DELETE FROM "
                        + LEDGER
                        + " WHERE "
                        + streamKey(stream)
                        + " AND path IN ("
                        + paths.stream().map(Sql::literal).collect(Collectors.joining(", "))
                        + ")");
    }

    public void recordFiles(String stream, List<LedgerEntry> entries, long jobId, Instant loadedAt)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        ensureStateTables();
        checkNotInterrupted();
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + LEDGER
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS timestamptz))")) {
            for (LedgerEntry entry : entries) {
                insert.setString(1, namespace);
                insert.setString(2, connectionName);
                insert.setString(3, stream);
                insert.setString(4, entry.path());
                insert.setLong(5, entry.size());
                insert.setLong(6, entry.mtimeMicros());
                insert.setLong(7, entry.rows());
                insert.setLong(8, jobId);
                insert.setString(9, loadedAt.toString());
                insert.addBatch();
            }
            running.set(insert);
            try {
                insert.executeBatch();
            } finally {
                running.set(null);
            }
        }
    }

    public StreamState state(String stream) throws SQLException {
        if (!stateTablesExist()) {
            return StreamState.EMPTY;
        }
        String json = queryString("SELECT state FROM " + STATE + " WHERE " + streamKey(stream));
        if (json == null) {
            return StreamState.EMPTY;
        }
        try {
            return JSON.readValue(json, StreamState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stream_state of " + stream + " is not valid JSON", e);
        }
    }

    public void saveState(String stream, StreamState state, long jobId, Instant updatedAt)
            throws SQLException {
        ensureStateTables();
        String json;
        try {
            json = JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        update("DELETE FROM " + STATE + " WHERE " + streamKey(stream));
        update(
                "INSERT INTO "
                        + STATE
                        + " VALUES ("
                        + Sql.literal(namespace)
                        + ", "
                        + Sql.literal(connectionName)
                        + ", "
                        + Sql.literal(stream)
                        + ", "
                        + Sql.literal(json)
                        + ", "
                        + jobId
                        + ", CAST("
                        + Sql.literal(updatedAt.toString())
                        + " AS timestamptz))");
    }

    private String streamKey(String stream) {
        return "namespace = "
                + Sql.literal(namespace)
                + " AND connection = "
                + Sql.literal(connectionName)
                + " AND stream = "
                + Sql.literal(stream);
    }

    private boolean stateTablesExist() throws SQLException {
        if (!stateTablesReady) {
            stateTablesReady =
                    queryLong(
                                    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                                            + Sql.literal(PlanValidator.STATE_SCHEMA)
                                            + " AND tablename IN ('file_ledger', 'stream_state')")
                            == 2;
        }
        return stateTablesReady;
    }

    private void ensureStateTables() throws SQLException {
        if (stateTablesExist()) {
            return;
        }
        update("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(PlanValidator.STATE_SCHEMA));
        update(
                "CREATE TABLE IF NOT EXISTS "
                        + LEDGER
                        + " (namespace text NOT NULL, connection text NOT NULL, stream text NOT"
                        + " NULL, path text NOT NULL, size bigint NOT NULL, mtime_us bigint NOT"
                        + " NULL, \"rows\" bigint NOT NULL, job_id bigint NOT NULL, loaded_at"
                        + " timestamptz NOT NULL)");
        update(
                "CREATE TABLE IF NOT EXISTS "
                        + STATE
                        + " (namespace text NOT NULL, connection text NOT NULL, stream text NOT"
                        + " NULL, state text NOT NULL, job_id bigint NOT NULL, updated_at"
                        + " timestamptz NOT NULL)");
        stateTablesReady = true;
    }

    // ---- transaction ----

    public void commit() throws SQLException {
        checkNotInterrupted();
        connection.commit();
    }

    public void rollback(SyncLog log) {
        try {
            connection.rollback();
            log.info("rolled back: the destination, ledger and cursors are unchanged");
        } catch (SQLException e) {
            log.info(
                    "rollback failed ("
                            + e.getMessage()
                            + "); closing the connection discards the transaction");
        }
    }

    /** Stops the statement running on the sync thread, if any; safe from any thread. */
    public void cancelRunningStatement() {
        Statement statement = running.get();
        if (statement == null) {
            return;
        }
        try {
            statement.cancel();
        } catch (SQLException alreadyFinished) {
            // The sync thread checks its interrupt flag before the next statement.
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private <T> T run(String sql, Work<T> work) throws SQLException {
        checkNotInterrupted();
        try (Statement statement = connection.createStatement()) {
            running.set(statement);
            try {
                return work.run(statement);
            } finally {
                running.set(null);
            }
        }
    }

    private static void checkNotInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the sync thread was interrupted");
        }
    }

    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Statement statement) throws SQLException;
    }

    /** Ends a COPY when the sync thread is interrupted: pgjdbc then aborts it on the server. */
    private static final class InterruptibleStream extends InputStream {
        private final InputStream in;

        InterruptibleStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            check();
            return in.read(buffer, offset, length);
        }

        private static void check() throws InterruptedIOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("the sync thread was interrupted");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

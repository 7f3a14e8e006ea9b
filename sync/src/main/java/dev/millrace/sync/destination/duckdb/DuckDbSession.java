package dev.millrace.sync.destination.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection to the destination database holding one transaction, which is the whole sync:
 * data, ledger and cursor commit together or not at all.
 *
 * <p>Statements run one at a time on the sync thread. The one running is remembered so that {@link
 * #cancelRunningStatement()}, called from another thread, can stop it: a JDBC call into DuckDB does
 * not notice {@link Thread#interrupt()}.
 */
public final class DuckDbSession implements AutoCloseable {

    private final Connection connection;
    private final String catalog;
    private final AtomicReference<Statement> running = new AtomicReference<>();

    private DuckDbSession(Connection connection, String catalog) {
        this.connection = connection;
        this.catalog = catalog;
    }

    /** Opens (creating if needed) the database file and starts the sync's transaction. */
    public static DuckDbSession open(Path databaseFile, String memoryLimit)
            throws SQLException, IOException {
        Path parent = databaseFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Connection connection = DriverManager.getConnection("jdbc:duckdb:" + databaseFile);
        try {
            try (Statement statement = connection.createStatement()) {
                // Large staging tables spill to the database's temp directory instead of
                // growing past what the Job's memory request allows.
                statement.execute("SET memory_limit = " + Sql.literal(memoryLimit));
                // DuckDB tracks a statement's progress only with its progress bar on; the bar
                // itself is not printed, the sync's progress reporter reads the numbers.
                statement.execute("SET enable_progress_bar = true");
                statement.execute("SET enable_progress_bar_print = false");
            }
            connection.setAutoCommit(false);
            String catalog;
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                catalog = rows.getString(1);
            }
            return new DuckDbSession(connection, catalog);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The attached database's name, used to qualify every table of the destination. */
    /** The JDBC connection, for DuckDB's Appender; statements go through this class. */
    public Connection connection() {
        return connection;
    }

    public String catalog() {
        return catalog;
    }

    public String table(String schema, String name) {
        return Sql.qualified(catalog, schema, name);
    }

    /** A connection-local temporary table; it vanishes with a rollback or when the sync ends. */
    public static String tempTable(String name) {
        return "temp.main." + Sql.identifier(name);
    }

    /** Runs a statement and returns the number of rows it changed (0 for DDL). */
    public long update(String sql) throws SQLException {
        return run(sql, statement -> Math.max(0, statement.executeLargeUpdate(sql)));
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

    /** The first column of the first row, or null when that is NULL or there is no row. */
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

    /** Runs a parameterised statement once per row of values, in one batch. */
    public void batch(String sql, List<List<Object>> rows) throws SQLException {
        checkNotInterrupted();
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                for (int index = 0; index < row.size(); index++) {
                    statement.setObject(index + 1, row.get(index));
                }
                statement.addBatch();
            }
            running.set(statement);
            try {
                statement.executeBatch();
            } finally {
                running.set(null);
            }
        }
    }

    public void commit() throws SQLException {
        checkNotInterrupted();
        connection.commit();
        checkpoint();
    }

    /**
     * Folds the write-ahead log into the database file, so readers that open the warehouse
     * read-only (a BI tool, the duckdb CLI) see the committed data even while the process that
     * wrote it keeps the database open. The data is already durable in the WAL, so a checkpoint
     * that cannot run now (another transaction is active) is not an error.
     */
    private void checkpoint() {
        try {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException busy) {
            // The next sync or the database's own automatic checkpoint will fold it in.
        }
    }

    public void rollback() throws SQLException {
        connection.rollback();
    }

    /** Stops the statement running on the sync thread, if any; safe to call from any thread. */
    public void cancelRunningStatement() {
        Statement statement = running.get();
        if (statement == null) {
            return;
        }
        try {
            statement.cancel();
        } catch (SQLException alreadyFinished) {
            // The statement completed and closed between get() and cancel(); the sync thread
            // checks its interrupt flag before the next one.
        }
    }

    /**
     * How far DuckDB is through the statement running on the sync thread, 0 to 1, or -1 when none
     * runs or DuckDB cannot tell; safe to call from any thread.
     */
    public double runningStatementProgress() {
        Statement statement = running.get();
        if (!(statement instanceof org.duckdb.DuckDBPreparedStatement duckdb)) {
            return -1;
        }
        try {
            double percentage = duckdb.getQueryProgress().getPercentage();
            return percentage < 0 ? -1 : Math.min(1, percentage / 100);
        } catch (SQLException | RuntimeException finishedMeanwhile) {
            return -1;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private <T> T run(String sql, StatementWork<T> work) throws SQLException {
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

    /** Between statements is where an interrupt is cheapest to honour. */
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
    private interface StatementWork<T> {
        T run(Statement statement) throws SQLException;
    }
}

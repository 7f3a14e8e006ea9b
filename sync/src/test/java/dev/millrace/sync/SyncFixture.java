package dev.millrace.sync;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.DuckDbPlan;
import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.SyncResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A data root with a source folder, a warehouse root, and helpers to sync and to look inside the
 * warehouse with a separate connection, the way an analyst would after the Job ended.
 */
final class SyncFixture {

    static final String CONNECTION = "orders-to-warehouse";
    static final String SCHEMA = "raw_orders";
    static final String DATABASE = "warehouse.duckdb";

    final Path dataRoot;
    final Path warehouseRoot;
    final Path sourceDir;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** The source the plans read; a CSV folder unless a test sets another. */
    SourcePlan source = new SourcePlan("orders", "csv", new FilesPlan("orders", null, ",", true));

    private long nextJobId = 1;
    private long nextMtimeSeconds = Instant.parse("2026-02-01T00:00:00Z").getEpochSecond();

    SyncFixture(Path tempDir) throws IOException {
        this.dataRoot = Files.createDirectories(tempDir.resolve("data"));
        this.warehouseRoot = tempDir.resolve("warehouse");
        this.sourceDir = Files.createDirectories(dataRoot.resolve("orders"));
    }

    /** Extra environment variables of the sync, e.g. a password a jdbc plan names. */
    final Map<String, String> variables = new java.util.HashMap<>();

    SyncEnvironment environment() {
        Map<String, String> env = new java.util.HashMap<>(variables);
        env.put(SyncEnvironment.DATA_ROOT, dataRoot.toString());
        env.put(SyncEnvironment.WAREHOUSE_ROOT, warehouseRoot.toString());
        return SyncEnvironment.from(env);
    }

    Path database() {
        return warehouseRoot.resolve(DATABASE);
    }

    /**
     * Writes a file with a modification time later than every file written before, so that "newest
     * file" and "changed file" never depend on the clock's resolution.
     */
    Path writeCsv(String name, String... lines) throws IOException {
        Path file = sourceDir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(nextMtimeSeconds++)));
        return file;
    }

    /**
     * Writes a CSV of {@code rows} generated rows with DuckDB (fast, no heap), large enough that
     * syncing it takes long enough to interrupt.
     */
    Path writeLargeCsv(String name, long rows) throws SQLException {
        Path file = sourceDir.resolve(name);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "COPY (SELECT i AS order_id, 'customer-' || (i % 9973) AS customer, round(i %"
                            + " 1000 * 0.37, 2) AS amount, DATE '2026-01-01' + CAST(i % 365 AS"
                            + " INTEGER) AS order_date FROM range("
                            + rows
                            + ") t(i)) TO '"
                            + file.toString().replace("'", "''")
                            + "' (HEADER)");
        }
        return file;
    }

    /** Writes a file of any format, newer than every file written before. */
    Path writeText(String name, String content) throws IOException {
        Path file = sourceDir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(nextMtimeSeconds++)));
        return file;
    }

    /** Writes a Parquet file holding the rows of {@code query}, as DuckDB's COPY writes it. */
    Path writeParquet(String name, String query) throws IOException, SQLException {
        Path file = sourceDir.resolve(name);
        Files.createDirectories(file.getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "COPY ("
                            + query
                            + ") TO '"
                            + file.toString().replace("'", "''")
                            + "' (FORMAT parquet)");
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(nextMtimeSeconds++)));
        return file;
    }

    void delete(String name) throws IOException {
        Files.delete(sourceDir.resolve(name));
    }

    static StreamPlan stream(SyncMode mode) {
        return new StreamPlan("orders", mode, null, List.of(), null);
    }

    static StreamPlan stream(SyncMode mode, String cursorField, String... primaryKey) {
        return new StreamPlan("orders", mode, cursorField, List.of(primaryKey), null);
    }

    SyncPlan plan(StreamPlan... streams) {
        return plan(false, false, streams);
    }

    SyncPlan plan(boolean fullRefresh, boolean allowEmptyReplace, StreamPlan... streams) {
        return new SyncPlan(
                nextJobId++,
                "default",
                CONNECTION,
                source,
                new DestinationPlan("warehouse", "duckdb", new DuckDbPlan(DATABASE), SCHEMA),
                List.of(streams),
                fullRefresh,
                allowEmptyReplace);
    }

    SyncResult sync(SyncPlan plan) {
        return new SyncRunner(log::add).run(plan, environment());
    }

    SyncResult sync(StreamPlan stream) {
        return sync(plan(stream));
    }

    /** Rows of a query as strings, columns joined by {@code |}, NULL as {@code null}. */
    List<String> rows(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    if (column > 1) {
                        row.append('|');
                    }
                    row.append(rows.getString(column));
                }
                result.add(row.toString());
            }
            return result;
        }
    }

    long count(String table) throws SQLException {
        return Long.parseLong(rows("SELECT count(*) FROM " + table).get(0));
    }

    boolean tableExists(String schema, String table) throws SQLException {
        if (!Files.exists(database())) {
            return false;
        }
        return !rows("SELECT 1 FROM duckdb_tables() WHERE schema_name = '"
                        + schema
                        + "' AND table_name = '"
                        + table
                        + "'")
                .isEmpty();
    }

    /**
     * Everything a sync may change, row by row: the table (all columns, including raw ids and
     * timestamps), the ledger and the stream state. Two equal snapshots mean nothing changed.
     */
    List<String> snapshot() throws SQLException {
        List<String> snapshot = new ArrayList<>();
        if (tableExists(SCHEMA, "orders")) {
            snapshot.add("table:");
            snapshot.addAll(rows("SELECT * FROM raw_orders.orders ORDER BY ALL"));
            snapshot.add("columns:");
            snapshot.addAll(
                    rows(
                            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name"
                                    + " = 'raw_orders' ORDER BY table_name, column_index"));
        }
        if (tableExists("_millrace", "file_ledger")) {
            snapshot.add("ledger:");
            snapshot.addAll(rows("SELECT * FROM _millrace.file_ledger ORDER BY ALL"));
            snapshot.add("state:");
            snapshot.addAll(rows("SELECT * FROM _millrace.stream_state ORDER BY ALL"));
        }
        return snapshot;
    }
}

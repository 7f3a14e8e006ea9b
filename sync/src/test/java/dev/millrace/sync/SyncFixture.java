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

    /** Where the plans write; the DuckDB warehouse file unless a test sets another. */
    DestinationPlan destination =
            new DestinationPlan("warehouse", "duckdb", new DuckDbPlan(DATABASE), SCHEMA);

    /** JDBC URL of a postgres destination, for looking inside it. */
    String postgresUrl;

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
                destination,
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

    /**
     * Rows of a query as strings, columns joined by {@code |}, NULL as {@code null}. The query runs
     * where the destination is: the DuckDB file, the PostgreSQL database, or, for a Parquet
     * destination, an in-memory DuckDB with one view per stream over the files its manifest names
     * (how a reader should read it).
     */
    List<String> rows(String sql) throws SQLException {
        try (Connection connection = openDestination();
                Statement statement = connection.createStatement()) {
            if (DestinationPlan.PARQUET.equals(destination.type())) {
                for (String view : parquetViews()) {
                    statement.execute(view);
                }
            }
            try (ResultSet rows = statement.executeQuery(sql)) {
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
    }

    private Connection openDestination() throws SQLException {
        return switch (destination.type()) {
            case DestinationPlan.POSTGRES ->
                    DriverManager.getConnection(postgresUrl, "postgres", "");
            case DestinationPlan.PARQUET -> DriverManager.getConnection("jdbc:duckdb:");
            default -> DriverManager.getConnection("jdbc:duckdb:" + database());
        };
    }

    Path parquetSchemaFolder() {
        return warehouseRoot.resolve(destination.parquet().path()).resolve(destination.schema());
    }

    /** A view per stream of the Parquet manifest, named {@code schema.stream}. */
    private List<String> parquetViews() throws SQLException {
        List<String> views = new ArrayList<>();
        try {
            var manifest =
                    dev.millrace.sync.destination.parquet.ParquetManifest.read(
                            parquetSchemaFolder());
            views.add("CREATE SCHEMA IF NOT EXISTS " + destination.schema());
            for (var entry : manifest.streams().entrySet()) {
                List<String> files =
                        entry.getValue().files().stream()
                                .map(
                                        file ->
                                                "'"
                                                        + parquetSchemaFolder()
                                                                .resolve(file)
                                                                .toString()
                                                                .replace("'", "''")
                                                        + "'")
                                .toList();
                views.add(
                        "CREATE VIEW "
                                + destination.schema()
                                + "."
                                + entry.getKey()
                                + " AS SELECT * FROM read_parquet(["
                                + String.join(", ", files)
                                + "], union_by_name = true, hive_partitioning = false)");
            }
        } catch (IOException e) {
            throw new SQLException(e);
        }
        return views;
    }

    long count(String table) throws SQLException {
        return Long.parseLong(rows("SELECT count(*) FROM " + table).get(0));
    }

    boolean tableExists(String schema, String table) throws SQLException {
        switch (destination.type()) {
            case DestinationPlan.PARQUET -> {
                try {
                    return schema.equals(destination.schema())
                            && dev.millrace.sync.destination.parquet.ParquetManifest.read(
                                            parquetSchemaFolder())
                                    .streams()
                                    .containsKey(table);
                } catch (IOException e) {
                    throw new SQLException(e);
                }
            }
            case DestinationPlan.POSTGRES -> {
                // information_schema below works in both databases.
            }
            default -> {
                if (!Files.exists(database())) {
                    return false;
                }
            }
        }
        return !rows("SELECT 1 FROM information_schema.tables WHERE table_schema = '"
                        + schema
                        + "' AND table_name = '"
                        + table
                        + "'")
                .isEmpty();
    }

    /**
     * Everything a sync may change, row by row: the table (all columns, including raw ids and
     * timestamps), the ledger and the stream state — for a Parquet destination, the manifest, which
     * holds both. Two equal snapshots mean nothing changed.
     */
    List<String> snapshot() throws SQLException {
        List<String> snapshot = new ArrayList<>();
        if (tableExists(SCHEMA, "orders")) {
            snapshot.add("table:");
            snapshot.addAll(rows("SELECT * FROM raw_orders.orders ORDER BY _millrace_raw_id"));
            snapshot.add("columns:");
            snapshot.addAll(
                    rows(
                            "SELECT column_name, data_type FROM information_schema.columns WHERE"
                                    + " table_schema = 'raw_orders' ORDER BY table_name,"
                                    + " ordinal_position"));
        }
        if (DestinationPlan.PARQUET.equals(destination.type())) {
            Path manifest =
                    dev.millrace.sync.destination.parquet.ParquetManifest.location(
                            parquetSchemaFolder());
            if (Files.exists(manifest)) {
                try {
                    snapshot.add("manifest:");
                    snapshot.add(Files.readString(manifest));
                } catch (IOException e) {
                    throw new SQLException(e);
                }
            }
        } else if (tableExists("_millrace", "file_ledger")) {
            snapshot.add("ledger:");
            snapshot.addAll(
                    rows("SELECT * FROM _millrace.file_ledger ORDER BY stream, path, job_id"));
        }
        if (!DestinationPlan.PARQUET.equals(destination.type())
                && tableExists("_millrace", "stream_state")) {
            snapshot.add("state:");
            snapshot.addAll(rows("SELECT * FROM _millrace.stream_state ORDER BY stream, job_id"));
        }
        return snapshot;
    }
}

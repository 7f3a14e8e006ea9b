package dev.millrace.sync.destination.parquet;

import dev.millrace.sync.SyncLog;
import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.LandingTable;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.destination.parquet.ParquetManifest.ColumnType;
import dev.millrace.sync.destination.parquet.ParquetManifest.LedgerRow;
import dev.millrace.sync.destination.parquet.ParquetManifest.StateRow;
import dev.millrace.sync.destination.parquet.ParquetManifest.StreamFiles;
import dev.millrace.sync.plan.PlanValidator;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * A Parquet destination: {@code <path>/<schema>/<stream>/…/*.parquet} plus the manifest {@code
 * <path>/<schema>/_millrace/state.json} (see {@link ParquetManifest}).
 *
 * <p>A sync works in a private DuckDB database under {@code _millrace/work-…}: the streams it
 * touches are loaded there from the files the manifest names, together with the ledger and cursors,
 * and the same sync modes as the DuckDB destination run on them. Publishing then writes each
 * changed stream as new files named after the job — only this run's rows when the run merely added
 * rows, the whole stream (a new generation) otherwise — and commits the manifest by an atomic
 * rename. Files no manifest names are swept after the commit, so a crash leaves at worst
 * unreferenced files that the next run removes.
 */
public final class ParquetDestination implements AutoCloseable {

    private static final String WORK_PREFIX = "work-";

    private final Path schemaFolder;
    private final String schema;
    private final long jobId;
    private final List<String> partitionBy;
    private final Path workFolder;
    private final DuckDbSession session;
    private final ParquetManifest manifest;
    private final SyncLog log;

    private ParquetDestination(
            Path schemaFolder,
            String schema,
            long jobId,
            List<String> partitionBy,
            Path workFolder,
            DuckDbSession session,
            ParquetManifest manifest,
            SyncLog log) {
        this.schemaFolder = schemaFolder;
        this.schema = schema;
        this.jobId = jobId;
        this.partitionBy = partitionBy;
        this.workFolder = workFolder;
        this.session = session;
        this.manifest = manifest;
        this.log = log;
    }

    /**
     * Reads the committed manifest and opens the private working database with the given streams
     * and the whole sync state loaded.
     */
    public static ParquetDestination open(
            Path folder,
            String schema,
            long jobId,
            List<String> partitionBy,
            Collection<String> streams,
            String memoryLimit,
            SyncLog log)
            throws IOException, SQLException {
        Path schemaFolder = folder.resolve(schema);
        ParquetManifest manifest = ParquetManifest.read(schemaFolder);
        Path workFolder =
                schemaFolder
                        .resolve(ParquetManifest.FOLDER)
                        .resolve(WORK_PREFIX + jobId + "-" + shortId());
        Files.createDirectories(workFolder);
        DuckDbSession session;
        try {
            session = DuckDbSession.open(workFolder.resolve("work.duckdb"), memoryLimit);
        } catch (SQLException | IOException | RuntimeException e) {
            deleteTree(workFolder);
            throw e;
        }
        ParquetDestination destination =
                new ParquetDestination(
                        schemaFolder,
                        schema,
                        jobId,
                        partitionBy,
                        workFolder,
                        session,
                        manifest,
                        log);
        try {
            destination.load(streams);
        } catch (SQLException | RuntimeException e) {
            destination.close();
            throw e;
        }
        return destination;
    }

    /** The working database the sync modes run in. */
    public DuckDbSession session() {
        return session;
    }

    private void load(Collection<String> streams) throws SQLException {
        for (String stream : streams) {
            StreamFiles committed = manifest.streams().get(stream);
            if (committed == null) {
                continue;
            }
            session.update(
                    "CREATE SCHEMA IF NOT EXISTS "
                            + Sql.identifier(session.catalog())
                            + "."
                            + Sql.identifier(schema));
            String table = session.table(schema, stream);
            List<String> definitions = new ArrayList<>();
            for (ColumnType column : committed.columns()) {
                definitions.add(Sql.identifier(column.name()) + " " + Sql.type(column.type()));
            }
            session.update("CREATE TABLE " + table + " (" + String.join(", ", definitions) + ")");
            if (!committed.files().isEmpty()) {
                session.update(
                        "INSERT INTO "
                                + table
                                + " BY NAME SELECT * FROM read_parquet("
                                + fileList(
                                        committed.files().stream()
                                                .map(file -> schemaFolder.resolve(file).toString())
                                                .toList())
                                + ", union_by_name = true, hive_partitioning = false)");
            }
            log.info(
                    String.format(
                            "parquet: loaded %d row(s) of stream %s from %d file(s)",
                            committed.rows(), stream, committed.files().size()));
        }
        if (manifest.ledger().isEmpty() && manifest.state().isEmpty()) {
            return;
        }
        StateStore tables = new StateStore(session, "", "");
        tables.ensureTables();
        List<List<Object>> ledger = new ArrayList<>();
        for (LedgerRow row : manifest.ledger()) {
            ledger.add(
                    List.of(
                            row.namespace(),
                            row.connection(),
                            row.stream(),
                            row.path(),
                            row.size(),
                            row.mtimeMicros(),
                            row.rows(),
                            row.jobId(),
                            row.loadedAt()));
        }
        session.batch(
                "INSERT INTO "
                        + session.table(PlanValidator.STATE_SCHEMA, "file_ledger")
                        + " VALUES (?, ?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)), ?, ?,"
                        + " CAST(? AS TIMESTAMPTZ))",
                ledger);
        List<List<Object>> state = new ArrayList<>();
        for (StateRow row : manifest.state()) {
            state.add(
                    List.of(
                            row.namespace(),
                            row.connection(),
                            row.stream(),
                            row.state(),
                            row.jobId(),
                            row.updatedAt()));
        }
        session.batch(
                "INSERT INTO "
                        + session.table(PlanValidator.STATE_SCHEMA, "stream_state")
                        + " VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))",
                state);
    }

    /**
     * Writes the new files of every synced stream and commits the manifest that names them with the
     * new sync state. Until the rename inside {@link ParquetManifest#commit} nothing a reader or
     * the next sync looks at has changed.
     */
    public void publish(List<StreamResult> results, Instant committedAt)
            throws SQLException, IOException {
        Map<String, StreamFiles> streams = new LinkedHashMap<>(manifest.streams());
        for (StreamResult result : results) {
            LandingTable table = new LandingTable(session, schema, result.name());
            if (!table.exists()) {
                continue;
            }
            StreamFiles previous = manifest.streams().get(result.name());
            List<Column> columns = table.columns();
            boolean onlyAdded = previous != null && result.updates() == 0 && result.deletes() == 0;
            List<String> files = new ArrayList<>();
            if (onlyAdded) {
                files.addAll(previous.files());
                if (result.inserts() > 0) {
                    files.addAll(
                            write(
                                    result.name(),
                                    columns,
                                    Sql.identifier(LandingTable.JOB_ID) + " = " + jobId));
                }
            } else {
                files.addAll(write(result.name(), columns, null));
            }
            List<ColumnType> columnTypes =
                    columns.stream()
                            .map(column -> new ColumnType(column.name(), column.type()))
                            .toList();
            streams.put(result.name(), new StreamFiles(columnTypes, files, table.rowCount()));
            log.info(
                    String.format(
                            "parquet: stream %s %s; %d file(s) hold %d row(s)",
                            result.name(),
                            onlyAdded ? "gained new files" : "rewritten as a new generation",
                            files.size(),
                            result.tableRowCount()));
        }
        Set<String> kept = new HashSet<>();
        streams.values().forEach(stream -> kept.addAll(stream.files()));
        List<String> retired = new ArrayList<>();
        for (StreamFiles stream : manifest.streams().values()) {
            stream.files().stream().filter(file -> !kept.contains(file)).forEach(retired::add);
        }
        ParquetManifest next =
                new ParquetManifest(
                        ParquetManifest.FORMAT,
                        jobId,
                        committedAt.toString(),
                        streams,
                        retired,
                        ledgerRows(),
                        stateRows());
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the sync thread was interrupted");
        }
        next.commit(schemaFolder);
        log.info("parquet: committed " + ParquetManifest.location(schemaFolder));
        sweep(next, results.stream().map(StreamResult::name).toList());
    }

    /** Writes a stream's rows (all, or those matching {@code filter}) as new files. */
    private List<String> write(String stream, List<Column> columns, String filter)
            throws SQLException, IOException {
        Path folder = schemaFolder.resolve(stream).resolve("job-" + jobId + "-" + shortId());
        String select =
                "SELECT * FROM "
                        + session.table(schema, stream)
                        + (filter == null ? "" : " WHERE " + filter);
        List<String> partitions = new ArrayList<>();
        for (String wanted : partitionBy) {
            Column.named(columns, wanted).ifPresent(column -> partitions.add(column.name()));
        }
        if (!partitionBy.isEmpty() && partitions.size() == partitionBy.size()) {
            Files.createDirectories(folder.getParent());
            session.update(
                    "COPY ("
                            + select
                            + ") TO "
                            + Sql.literal(folder.toString())
                            + " (FORMAT parquet, PARTITION_BY ("
                            + Sql.identifiers(partitions)
                            + "), WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'part-{i}')");
        } else {
            if (!partitionBy.isEmpty()) {
                log.info(
                        "parquet: stream "
                                + stream
                                + " lacks a partitionBy column; written unpartitioned");
            }
            Files.createDirectories(folder);
            session.update(
                    "COPY ("
                            + select
                            + ") TO "
                            + Sql.literal(folder.resolve("part-0.parquet").toString())
                            + " (FORMAT parquet)");
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.filter(Files::isRegularFile)
                    .sorted()
                    .forEach(
                            path ->
                                    files.add(
                                            schemaFolder
                                                    .relativize(path)
                                                    .toString()
                                                    .replace('\\', '/')));
        }
        return files;
    }

    private List<LedgerRow> ledgerRows() throws SQLException {
        if (!stateTablesExist()) {
            return List.of();
        }
        return session.query(
                "SELECT namespace, connection, stream, path, size, epoch_us(mtime), \"rows\","
                        + " job_id, CAST(loaded_at AS VARCHAR) FROM "
                        + session.table(PlanValidator.STATE_SCHEMA, "file_ledger")
                        + " ORDER BY ALL",
                row ->
                        new LedgerRow(
                                row.getString(1),
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.getLong(5),
                                row.getLong(6),
                                row.getLong(7),
                                row.getLong(8),
                                row.getString(9)));
    }

    private List<StateRow> stateRows() throws SQLException {
        if (!stateTablesExist()) {
            return List.of();
        }
        return session.query(
                "SELECT namespace, connection, stream, state, job_id, CAST(updated_at AS VARCHAR)"
                        + " FROM "
                        + session.table(PlanValidator.STATE_SCHEMA, "stream_state")
                        + " ORDER BY ALL",
                row ->
                        new StateRow(
                                row.getString(1),
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.getLong(5),
                                row.getString(6)));
    }

    private boolean stateTablesExist() throws SQLException {
        return session.queryLong(
                        "SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                                + Sql.literal(session.catalog())
                                + " AND schema_name = "
                                + Sql.literal(PlanValidator.STATE_SCHEMA))
                == 2;
    }

    /**
     * Deletes what no manifest names any more: files in the streams' folders that neither the
     * committed manifest keeps nor it retired, and leftovers of runs that died (working folders,
     * temporary manifests).
     */
    private void sweep(ParquetManifest committed, List<String> syncedStreams) {
        Set<String> keep = new HashSet<>(committed.referencedFiles());
        Set<String> folders = new HashSet<>(committed.streams().keySet());
        folders.addAll(manifest.streams().keySet());
        folders.addAll(syncedStreams);
        int deleted = 0;
        try {
            for (String stream : folders) {
                Path folder = schemaFolder.resolve(stream);
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                List<Path> paths;
                try (Stream<Path> walk = Files.walk(folder)) {
                    paths = walk.sorted(Comparator.reverseOrder()).toList();
                }
                for (Path path : paths) {
                    String relative = schemaFolder.relativize(path).toString().replace('\\', '/');
                    if (Files.isRegularFile(path) && !keep.contains(relative)) {
                        Files.delete(path);
                        deleted++;
                    } else if (Files.isDirectory(path) && !path.equals(folder) && isEmpty(path)) {
                        Files.delete(path);
                    }
                }
            }
            try (Stream<Path> leftovers =
                    Files.list(schemaFolder.resolve(ParquetManifest.FOLDER))) {
                for (Path leftover : leftovers.toList()) {
                    String name = leftover.getFileName().toString();
                    if ((name.startsWith(WORK_PREFIX) && !leftover.equals(workFolder))
                            || name.startsWith(ParquetManifest.FILE + ".tmp-")) {
                        deleteTree(leftover);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The commit stands; what is left is unreferenced and the next sync sweeps it.
            log.info("parquet: sweeping unreferenced files failed: " + e.getMessage());
            return;
        }
        if (deleted > 0) {
            log.info("parquet: removed " + deleted + " unreferenced file(s)");
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String fileList(List<String> files) {
        return files.stream()
                .map(file -> Sql.literal(file))
                .reduce((a, b) -> a + ", " + b)
                .map(list -> "[" + list + "]")
                .orElseThrow();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Closes the working database and removes it; committed or not, it is no longer needed. */
    @Override
    public void close() throws SQLException {
        try {
            session.close();
        } finally {
            deleteTree(workFolder);
        }
    }

    /** Deletes a folder and everything in it, leaving what cannot be deleted to a later sweep. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // Left for the next run's sweep.
        }
    }
}

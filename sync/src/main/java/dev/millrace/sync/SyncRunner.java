package dev.millrace.sync;

import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.InterruptWatch;
import dev.millrace.sync.destination.duckdb.RowStamp;
import dev.millrace.sync.destination.parquet.ParquetDestination;
import dev.millrace.sync.destination.postgres.PostgresDestination;
import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.InvalidPlanException;
import dev.millrace.sync.plan.PlanValidator;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.source.StreamReader;
import dev.millrace.sync.source.csv.CsvFolder;
import dev.millrace.sync.source.jdbc.JdbcReader;
import dev.millrace.sync.source.jdbc.JdbcSource;
import dev.millrace.sync.source.rest.RestHttp;
import dev.millrace.sync.source.rest.RestRead;
import dev.millrace.sync.state.StateStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Runs a sync plan: every stream of the plan in one transaction of the destination (a DuckDB
 * transaction, one PostgreSQL transaction, or a Parquet manifest rename), committed only if all of
 * them succeed. Failures and cancellation come back as a result, never as an exception, because the
 * result is what the operator reads from the Job.
 *
 * <p>Interrupting the calling thread cancels the sync: the running DuckDB statement is stopped, the
 * transaction rolled back, and the result says {@code cancelled}. The interrupt flag is left set
 * for the caller.
 */
public final class SyncRunner {

    private final SyncLog log;
    private final SyncProgress progress;

    public SyncRunner(SyncLog log) {
        this(log, new SyncProgress());
    }

    /** A runner that keeps {@code progress} current for a progress reporter. */
    public SyncRunner(SyncLog log, SyncProgress progress) {
        this.log = log;
        this.progress = progress;
    }

    /**
     * @throws InvalidPlanException if the plan breaks a rule of {@link PlanValidator}; nothing is
     *     touched then
     */
    public SyncResult run(SyncPlan plan, SyncEnvironment env) {
        PlanValidator.check(plan);
        Instant startedAt = Instant.now();
        currentStream = null;
        DestinationPlan destination = plan.destination();
        Path target = null;
        Path sourceDirectory = null;
        try {
            if (DestinationPlan.DUCKDB.equals(destination.type())) {
                target = env.databaseFile(destination.duckdb().path());
            } else if (DestinationPlan.PARQUET.equals(destination.type())) {
                target = env.databaseFile(destination.parquet().path());
            }
            target = target == null ? null : target.toAbsolutePath().normalize();
            if (plan.source().isFileSource()) {
                sourceDirectory =
                        env.sourceDirectory(plan.source().files().directory())
                                .toAbsolutePath()
                                .normalize();
            }
        } catch (InvalidPathException e) {
            return failure(plan, startedAt, null, e);
        }
        log.info(
                String.format(
                        "sync job %d of connection %s/%s: %d stream(s) from %s source %s (%s) into"
                                + " %s %s, schema %s",
                        plan.jobId(),
                        plan.namespace(),
                        plan.connection(),
                        plan.streams().size(),
                        plan.source().type(),
                        plan.source().name(),
                        sourceDirectory != null
                                ? sourceDirectory
                                : plan.source().isRestSource()
                                        ? "API " + RestRead.baseUrl(plan.source())
                                        : plan.source().jdbc().driver()
                                                + " database "
                                                + plan.source().jdbc().database(),
                        destination.type(),
                        target != null
                                ? target
                                : destination.postgres().host()
                                        + "/"
                                        + destination.postgres().database(),
                        destination.schema()));
        try {
            return switch (destination.type()) {
                case DestinationPlan.PARQUET ->
                        runParquet(plan, env, startedAt, target, sourceDirectory);
                case DestinationPlan.POSTGRES -> runPostgres(plan, env, startedAt, sourceDirectory);
                default -> runDuckDb(plan, env, startedAt, target, sourceDirectory);
            };
        } catch (Exception | LinkageError e) {
            return failure(plan, startedAt, currentStream, e);
        }
    }

    private String currentStream;

    private SyncResult runDuckDb(
            SyncPlan plan,
            SyncEnvironment env,
            Instant startedAt,
            Path databaseFile,
            Path sourceDirectory)
            throws Exception {
        try (DuckDbSession session = DuckDbSession.open(databaseFile, env.duckDbMemoryLimit())) {
            InterruptWatch watch = InterruptWatch.start(session);
            try {
                List<StreamResult> streams =
                        syncStreams(plan, env, session, startedAt, sourceDirectory);
                watch.close();
                session.commit();
                return committed(plan, startedAt, streams);
            } catch (Exception | LinkageError e) {
                watch.close();
                rollback(session);
                throw e;
            }
        }
    }

    /**
     * The same sync modes as a DuckDB destination, run in the Parquet destination's private working
     * database; the manifest rename that publishes the new files is the commit.
     */
    private SyncResult runParquet(
            SyncPlan plan,
            SyncEnvironment env,
            Instant startedAt,
            Path folder,
            Path sourceDirectory)
            throws Exception {
        try (ParquetDestination destination =
                ParquetDestination.open(
                        folder,
                        plan.destination().schema(),
                        plan.jobId(),
                        plan.destination().parquet().partitionBy(),
                        plan.streams().stream().map(StreamPlan::name).toList(),
                        env.duckDbMemoryLimit(),
                        log)) {
            DuckDbSession session = destination.session();
            InterruptWatch watch = InterruptWatch.start(session);
            try {
                List<StreamResult> streams =
                        syncStreams(plan, env, session, startedAt, sourceDirectory);
                destination.publish(streams, Instant.now());
                watch.close();
                return committed(plan, startedAt, streams);
            } catch (Exception | LinkageError e) {
                watch.close();
                rollback(session);
                throw e;
            }
        }
    }

    private SyncResult runPostgres(
            SyncPlan plan, SyncEnvironment env, Instant startedAt, Path sourceDirectory)
            throws Exception {
        Path stagingFolder = Files.createTempDirectory("millrace-sync-" + plan.jobId() + "-");
        try (PostgresDestination destination =
                        PostgresDestination.open(
                                plan.destination().postgres(),
                                env,
                                plan.destination().schema(),
                                plan.namespace(),
                                plan.connection());
                DuckDbSession staging =
                        DuckDbSession.open(
                                stagingFolder.resolve("staging.duckdb"), env.duckDbMemoryLimit())) {
            InterruptWatch watch =
                    InterruptWatch.start(
                            () -> {
                                staging.cancelRunningStatement();
                                destination.cancelRunningStatement();
                            });
            try {
                RowStamp stamp = new RowStamp(startedAt, plan.jobId());
                List<StreamResult> streams = new ArrayList<>();
                if (plan.source().isFileSource()) {
                    for (StreamPlan stream : plan.streams()) {
                        currentStream = stream.name();
                        progress.stream(stream.name());
                        CsvFolder folder = new CsvFolder(sourceDirectory, globOf(plan, stream));
                        long started = System.nanoTime();
                        streams.add(
                                counted(
                                        timed(
                                                new PostgresStreamSync(
                                                                plan,
                                                                stream,
                                                                staging,
                                                                destination,
                                                                stamp,
                                                                stagingFolder,
                                                                log)
                                                        .runFiles(folder),
                                                started)));
                    }
                } else {
                    try (OpenReader source = openReader(plan, env)) {
                        for (StreamPlan stream : plan.streams()) {
                            currentStream = stream.name();
                            progress.stream(stream.name());
                            long started = System.nanoTime();
                            streams.add(
                                    counted(
                                            timed(
                                                    new PostgresStreamSync(
                                                                    plan,
                                                                    stream,
                                                                    staging,
                                                                    destination,
                                                                    stamp,
                                                                    stagingFolder,
                                                                    log)
                                                            .runReader(source.reader()),
                                                    started)));
                        }
                    }
                }
                currentStream = null;
                log.info("committing the PostgreSQL transaction");
                destination.commit();
                watch.close();
                return committed(plan, startedAt, streams);
            } catch (Exception | LinkageError e) {
                watch.close();
                destination.rollback(log);
                throw e;
            }
        } finally {
            ParquetDestination.deleteTree(stagingFolder);
        }
    }

    /** Every stream of the plan into the DuckDB tables of {@code session}, not committed. */
    private List<StreamResult> syncStreams(
            SyncPlan plan,
            SyncEnvironment env,
            DuckDbSession session,
            Instant startedAt,
            Path sourceDirectory)
            throws Exception {
        StateStore state = new StateStore(session, plan.namespace(), plan.connection());
        RowStamp stamp = new RowStamp(startedAt, plan.jobId());
        List<StreamResult> streams = new ArrayList<>();
        if (plan.source().isFileSource()) {
            for (StreamPlan stream : plan.streams()) {
                currentStream = stream.name();
                progress.stream(stream.name());
                CsvFolder folder = new CsvFolder(sourceDirectory, globOf(plan, stream));
                long started = System.nanoTime();
                streams.add(
                        timed(
                                new StreamSync(
                                                plan, stream, folder, session, state, stamp, log,
                                                progress)
                                        .run(),
                                started));
            }
        } else {
            try (OpenReader source = openReader(plan, env)) {
                for (StreamPlan stream : plan.streams()) {
                    currentStream = stream.name();
                    progress.stream(stream.name());
                    long started = System.nanoTime();
                    streams.add(
                            counted(
                                    timed(
                                            new JdbcStreamSync(
                                                            plan,
                                                            stream,
                                                            source.reader(),
                                                            session,
                                                            state,
                                                            stamp,
                                                            log)
                                                    .run(),
                                            started)));
                }
            }
        }
        currentStream = null;
        log.info("committing");
        return streams;
    }

    /** A source whose rows pass through Java, open for one run, and what to close after it. */
    private record OpenReader(StreamReader reader, AutoCloseable resource)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }
    }

    /** The plan's database or HTTP API source, opened. */
    private OpenReader openReader(SyncPlan plan, SyncEnvironment env) throws Exception {
        if (plan.source().isRestSource()) {
            RestHttp http = RestHttp.open(plan.source().rest(), env, log);
            return new OpenReader(new RestRead(plan.source(), http, log), http);
        }
        Connection connection = JdbcSource.open(plan.source().jdbc(), env);
        return new OpenReader(new JdbcReader(connection), connection);
    }

    /** Streams read without live counts report what they read once they are done. */
    private StreamResult counted(StreamResult result) {
        progress.read(result.rowsRead(), result.bytes());
        return result;
    }

    private static StreamResult timed(StreamResult result, long startedNanos) {
        return result.withDuration(Math.round((System.nanoTime() - startedNanos) / 1e6) / 1000.0);
    }

    private SyncResult committed(SyncPlan plan, Instant startedAt, List<StreamResult> streams) {
        SyncResult result = SyncResult.succeeded(plan.jobId(), startedAt, streams);
        log.info(String.format("committed in %.2f s", result.durationSeconds()));
        return result;
    }

    private static String globOf(SyncPlan plan, StreamPlan stream) {
        return stream.glob() != null ? stream.glob() : plan.source().files().glob();
    }

    private void rollback(DuckDbSession session) {
        try {
            session.rollback();
            log.info("rolled back: the destination, ledger and cursors are unchanged");
        } catch (SQLException e) {
            // DuckDB discards an uncommitted transaction when the connection closes, so the
            // destination is unchanged even if the explicit rollback fails.
            log.info(
                    "rollback failed ("
                            + e.getMessage()
                            + "); closing the connection discards the transaction");
        }
    }

    private SyncResult failure(SyncPlan plan, Instant startedAt, String stream, Throwable error) {
        String where = stream == null ? "" : "stream " + stream + ": ";
        if (error instanceof CancellationException || Thread.currentThread().isInterrupted()) {
            log.info(
                    "cancelled"
                            + (stream == null ? "" : " during stream " + stream)
                            + "; nothing was written");
            return SyncResult.cancelled(
                    plan.jobId(),
                    startedAt,
                    "cancelled: the sync was interrupted; nothing was written");
        }
        String message = where + describe(error);
        // A SyncFailure needs a person (empty-replace protection, a lossy cast, a missing cursor
        // column): running the same plan again would fail the same way.
        boolean retryable = !(error instanceof SyncFailure);
        log.info("failed" + (retryable ? "" : " (not retryable)") + ": " + message);
        return SyncResult.failed(plan.jobId(), startedAt, message, retryable);
    }

    /** DuckDB's and our own messages are written for people; anything else keeps its type. */
    private static String describe(Throwable error) {
        if (error instanceof SQLException
                || error instanceof SyncFailure
                || error instanceof FileSystemException) {
            return error.getMessage();
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}

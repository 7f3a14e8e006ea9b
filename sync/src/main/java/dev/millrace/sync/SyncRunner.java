package dev.millrace.sync;

import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.InterruptWatch;
import dev.millrace.sync.destination.duckdb.RowStamp;
import dev.millrace.sync.plan.InvalidPlanException;
import dev.millrace.sync.plan.PlanValidator;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.source.csv.CsvFolder;
import dev.millrace.sync.source.jdbc.JdbcReader;
import dev.millrace.sync.source.jdbc.JdbcSource;
import dev.millrace.sync.source.rest.RestHttp;
import dev.millrace.sync.source.rest.RestRead;
import dev.millrace.sync.state.StateStore;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Runs a sync plan: every stream of the plan in one DuckDB transaction, committed only if all of
 * them succeed. Failures and cancellation come back as a result, never as an exception, because the
 * result is what the operator reads from the Job.
 *
 * <p>Interrupting the calling thread cancels the sync: the running DuckDB statement is stopped, the
 * transaction rolled back, and the result says {@code cancelled}. The interrupt flag is left set
 * for the caller.
 */
public final class SyncRunner {

    private final SyncLog log;

    public SyncRunner(SyncLog log) {
        this.log = log;
    }

    /**
     * @throws InvalidPlanException if the plan breaks a rule of {@link PlanValidator}; nothing is
     *     touched then
     */
    public SyncResult run(SyncPlan plan, SyncEnvironment env) {
        PlanValidator.check(plan);
        Instant startedAt = Instant.now();
        Path databaseFile;
        Path sourceDirectory = null;
        try {
            databaseFile =
                    env.databaseFile(plan.destination().duckdb().path())
                            .toAbsolutePath()
                            .normalize();
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
                                + " duckdb %s, schema %s",
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
                        databaseFile,
                        plan.destination().schema()));

        String currentStream = null;
        try (DuckDbSession session = DuckDbSession.open(databaseFile, env.duckDbMemoryLimit())) {
            InterruptWatch watch = InterruptWatch.start(session);
            try {
                StateStore state = new StateStore(session, plan.namespace(), plan.connection());
                RowStamp stamp = new RowStamp(startedAt, plan.jobId());
                List<StreamResult> streams = new ArrayList<>();
                if (plan.source().isFileSource()) {
                    for (StreamPlan stream : plan.streams()) {
                        currentStream = stream.name();
                        CsvFolder folder = new CsvFolder(sourceDirectory, globOf(plan, stream));
                        streams.add(
                                new StreamSync(plan, stream, folder, session, state, stamp, log)
                                        .run());
                    }
                } else if (plan.source().isRestSource()) {
                    try (RestHttp http = RestHttp.open(plan.source().rest(), env, log)) {
                        RestRead reader = new RestRead(plan.source(), http, log);
                        for (StreamPlan stream : plan.streams()) {
                            currentStream = stream.name();
                            streams.add(
                                    new JdbcStreamSync(
                                                    plan, stream, reader, session, state, stamp,
                                                    log)
                                            .run());
                        }
                    }
                } else {
                    try (Connection source = JdbcSource.open(plan.source().jdbc(), env)) {
                        JdbcReader reader = new JdbcReader(source);
                        for (StreamPlan stream : plan.streams()) {
                            currentStream = stream.name();
                            streams.add(
                                    new JdbcStreamSync(
                                                    plan, stream, reader, session, state, stamp,
                                                    log)
                                            .run());
                        }
                    }
                }
                currentStream = null;
                watch.close();
                session.commit();
                SyncResult result = SyncResult.succeeded(plan.jobId(), startedAt, streams);
                log.info(String.format("committed in %.2f s", result.durationSeconds()));
                return result;
            } catch (Exception | LinkageError e) {
                watch.close();
                rollback(session);
                throw e;
            }
        } catch (Exception | LinkageError e) {
            return failure(plan, startedAt, currentStream, e);
        }
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
        log.info("failed: " + message);
        return SyncResult.failed(plan.jobId(), startedAt, message);
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

package dev.millrace.store;

import dev.millrace.store.alert.AlertOutbox;
import dev.millrace.store.anomaly.AnomalyDetection;
import dev.millrace.store.catalog.ConnectorCatalogs;
import dev.millrace.store.check.PipelineChecks;
import dev.millrace.store.execution.PipelineExecutions;
import dev.millrace.store.id.IdRegistry;
import dev.millrace.store.id.ObjectRef;
import dev.millrace.store.jdbc.Database;
import dev.millrace.store.job.JobAttempts;
import dev.millrace.store.job.JobHistory;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.ledger.FileLedger;
import dev.millrace.store.ledger.FileLedgerEntry;
import dev.millrace.store.lineage.AddressLineage;
import dev.millrace.store.log.ActivityLog;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.migration.MigrationRunner;
import dev.millrace.store.model.ModelRuns;
import dev.millrace.store.retention.ExecutionRetention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The history store: what Millrace remembers that is not desired state and so does not belong in
 * etcd — integer ids, job history, activity logs and a copy of the CSV file ledger.
 *
 * <p>One instance per database per JVM, shared by all threads of the operator and the API server:
 * every method is thread-safe and runs in its own transaction, one at a time (see {@link Database}
 * for why). Opening applies pending schema migrations. Instants are kept to the microsecond.
 */
public final class Store implements AutoCloseable {

    /**
     * DuckDB files open in this JVM. DuckDB's JDBC driver gives every connection to one file in a
     * JVM the same database, so a second Store on the file would not be refused; it would write
     * past this one's lock and meet transaction conflicts under load.
     */
    private static final Set<Path> openDuckDbFiles = ConcurrentHashMap.newKeySet();

    private final Database database;
    private final Path duckDbFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final IdRegistry ids = new IdRegistry();
    private final JobHistory jobs = new JobHistory();
    private final ActivityLog activityLog = new ActivityLog();
    private final FileLedger fileLedger = new FileLedger();
    private final ConnectorCatalogs connectorCatalogs;
    private final ModelRuns modelRuns;

    private final PipelineExecutions executions;
    private final AnomalyDetection anomalies;
    private final PipelineChecks checks;
    private final JobAttempts jobAttempts;
    private final AddressLineage lineage;
    private final ExecutionRetention retention;
    private final AlertOutbox alerts;

    private Store(Database database, Path duckDbFile) {
        this.database = database;
        this.duckDbFile = duckDbFile;
        this.connectorCatalogs = new ConnectorCatalogs(database);
        this.modelRuns = new ModelRuns(database);
        this.executions = new PipelineExecutions(database);
        this.anomalies = new AnomalyDetection(database);
        this.checks = new PipelineChecks(database);
        this.jobAttempts = new JobAttempts(database);
        this.lineage = new AddressLineage(database);
        this.retention = new ExecutionRetention(database);
        this.alerts = new AlertOutbox(database);
    }

    /** Connector catalogs: what metadata refreshes found, listed page by page. */
    public ConnectorCatalogs connectorCatalogs() {
        return connectorCatalogs;
    }

    /** The run history of SQL Models (ids shared with sync jobs). */
    public ModelRuns modelRuns() {
        return modelRuns;
    }

    /** Pipeline executions, their hierarchy and the pipelines' last DML times. */
    public PipelineExecutions executions() {
        return executions;
    }

    /** Anomaly rules' evaluation, recorded anomalies and unflagging. */
    public AnomalyDetection anomalies() {
        return anomalies;
    }

    /** Alerts waiting to be sent, deduplicated per occurrence, and what became of them. */
    public AlertOutbox alerts() {
        return alerts;
    }

    /** Freshness and timeliness checks with their once-per-breach logs. */
    public PipelineChecks checks() {
        return checks;
    }

    /** Addresses, address types and the lineage edges pipelines draw between them. */
    public AddressLineage lineage() {
        return lineage;
    }

    /** Deleting execution history past its retention (the Watcher's log cleanup). */
    public ExecutionRetention retention() {
        return retention;
    }

    /**
     * Opens, creating if needed, a DuckDB store file and the directories above it.
     *
     * @throws StoreException if this JVM has the file open already (share that Store), or another
     *     process has it open
     */
    public static Store openDuckDb(Path file) {
        Path resolved;
        try {
            Path directory = Files.createDirectories(file.toAbsolutePath().getParent());
            resolved = directory.toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            throw new StoreException(
                    "could not create the directory for the store file " + file, e);
        }
        if (!openDuckDbFiles.add(resolved)) {
            throw new StoreException(
                    "the store file "
                            + resolved
                            + " is already open in this process; share that Store instead of"
                            + " opening a second one");
        }
        try {
            return connect("jdbc:duckdb:" + resolved, null, null, resolved);
        } catch (RuntimeException e) {
            openDuckDbFiles.remove(resolved);
            throw e;
        }
    }

    /**
     * Opens the store at a JDBC URL ({@code jdbc:duckdb:…} or {@code jdbc:postgresql:…}; the driver
     * must be on the classpath).
     *
     * @param user null if the database needs none
     * @param password null if the database needs none
     */
    public static Store open(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return connect(jdbcUrl, user, password, null);
    }

    private static Store connect(String jdbcUrl, String user, String password, Path duckDbFile) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
        } catch (SQLException e) {
            throw new StoreException(
                    "could not open the store at "
                            + withoutParameters(jdbcUrl)
                            + ": "
                            + e.getMessage(),
                    e);
        }
        try {
            MigrationRunner.fromClasspath(Store.class.getClassLoader()).migrate(connection);
            return new Store(new Database(connection), duckDbFile);
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** The URL without its parameters, which may hold a password, for messages. */
    private static String withoutParameters(String jdbcUrl) {
        int parameters = jdbcUrl.indexOf('?');
        return parameters < 0 ? jdbcUrl : jdbcUrl.substring(0, parameters);
    }

    // ---- integer ids -----------------------------------------------------------------------

    /**
     * The integer id of the object with {@code uid}, allocated on first request: per kind, from 1,
     * increasing, never reused. Asking again for a forgotten uid returns its old id and makes it
     * findable again.
     */
    public long idFor(String kind, String namespace, String name, String uid) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        return database.transaction(
                "allocate an id for " + kind + " " + namespace + "/" + name,
                c -> ids.idFor(c, kind, namespace, name, uid, Instant.now()));
    }

    /** The object of {@code kind} with {@code id}, unless it was forgotten. */
    public Optional<ObjectRef> findById(String kind, long id) {
        Objects.requireNonNull(kind, "kind");
        return database.transaction(
                "find " + kind + " with id " + id, c -> ids.findById(c, kind, id));
    }

    /** The id of the object with {@code uid}, unless it has none or was forgotten. */
    public Optional<Long> findId(String kind, String uid) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uid, "uid");
        return database.transaction(
                "find the id of " + kind + " " + uid, c -> ids.findId(c, kind, uid));
    }

    /** Marks a deleted object; its id is never given to another. Unknown uids are ignored. */
    public void forget(String kind, String uid) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uid, "uid");
        database.transaction(
                "forget " + kind + " " + uid,
                c -> {
                    ids.forget(c, kind, uid, Instant.now());
                    return null;
                });
    }

    // ---- job history -----------------------------------------------------------------------

    /**
     * The job for the request's (connection uid, request key): created PENDING with a new id the
     * first time, returned unchanged every time after, so a retried or restarted reconcile never
     * makes a second job.
     */
    public JobRecord allocateJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        return database.transaction(
                "allocate a job for connection " + request.namespace() + "/" + request.connection(),
                c -> jobs.allocate(c, request, Instant.now()));
    }

    /**
     * Marks a pending job queued; other statuses are left unchanged.
     *
     * @throws java.util.NoSuchElementException if there is no job with {@code id}
     */
    public void markQueued(long id) {
        database.transaction(
                "mark job " + id + " queued",
                c -> {
                    jobs.markQueued(c, id);
                    return null;
                });
    }

    /**
     * Marks a pending, queued or incomplete job running; the first start time is kept. Running and
     * terminal jobs are left unchanged.
     *
     * @throws java.util.NoSuchElementException if there is no job with {@code id}
     */
    public void markRunning(long id, Instant startedAt) {
        Objects.requireNonNull(startedAt, "startedAt");
        database.transaction(
                "mark job " + id + " running",
                c -> {
                    jobs.markRunning(c, id, startedAt);
                    return null;
                });
    }

    /**
     * Records how a job ended, once: a job that has already ended is left as it is.
     *
     * @param terminalStatus SUCCEEDED, FAILED or CANCELLED
     * @param error null unless the job failed
     * @param resultJson the sync's JSON result, null if it reported none
     * @return true if this call ended the job, false if it had already ended
     * @throws java.util.NoSuchElementException if there is no job with {@code id}
     */
    public boolean complete(
            long id,
            JobStatus terminalStatus,
            Instant endedAt,
            long rowsSynced,
            long bytesSynced,
            String error,
            String resultJson) {
        Objects.requireNonNull(terminalStatus, "terminalStatus");
        Objects.requireNonNull(endedAt, "endedAt");
        if (!terminalStatus.isTerminal()) {
            throw new IllegalArgumentException(
                    "a job completes as succeeded, failed or cancelled, not " + terminalStatus);
        }
        if (rowsSynced < 0 || bytesSynced < 0) {
            throw new IllegalArgumentException(
                    "rows and bytes synced cannot be negative: "
                            + rowsSynced
                            + " rows, "
                            + bytesSynced
                            + " bytes");
        }
        return database.transaction(
                "complete job " + id,
                c ->
                        jobs.complete(
                                c,
                                id,
                                terminalStatus,
                                endedAt,
                                rowsSynced,
                                bytesSynced,
                                error,
                                resultJson));
    }

    public Optional<JobRecord> findJob(long id) {
        return database.transaction("find job " + id, c -> jobs.find(c, id));
    }

    /** One page of matching jobs, newest first. */
    public List<JobRecord> jobs(JobQuery q) {
        Objects.requireNonNull(q, "q");
        return database.transaction("list jobs", c -> jobs.list(c, q));
    }

    /** How many jobs match, ignoring the query's page. */
    public long countJobs(JobQuery q) {
        Objects.requireNonNull(q, "q");
        return database.transaction("count jobs", c -> jobs.count(c, q));
    }

    /** The attempts of jobs: one per batch/v1 Job run, with live progress. */
    public JobAttempts jobAttempts() {
        return jobAttempts;
    }

    /** The connection's jobs that have not ended, newest first. */
    public List<JobRecord> activeJobs(String namespace, String connection) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(connection, "connection");
        return database.transaction(
                "list the active jobs of connection " + namespace + "/" + connection,
                c -> jobs.active(c, namespace, connection));
    }

    // ---- activity log ----------------------------------------------------------------------

    /**
     * Appends a line; a message longer than {@link ActivityLog#MAX_MESSAGE_LENGTH} characters is
     * cut to that length and marked as truncated.
     */
    public void appendLog(LogEntry e) {
        Objects.requireNonNull(e, "e");
        database.transaction(
                "append a log line",
                c -> {
                    activityLog.append(c, e);
                    return null;
                });
    }

    /**
     * The newest {@code limit} lines of the namespace, or of one source in it, oldest first.
     *
     * @param source null for every line of the namespace
     */
    public List<LogEntry> logs(String namespace, String source, int limit) {
        Objects.requireNonNull(namespace, "namespace");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return database.transaction(
                "read the logs of " + namespace + (source == null ? "" : "/" + source),
                c -> activityLog.newest(c, namespace, source, limit));
    }

    // ---- CSV file ledger copy --------------------------------------------------------------

    /**
     * Replaces the rows of one stream of a source, all at once: a reader sees the old rows or the
     * new ones, never a mix.
     *
     * @throws StoreException if a path appears twice in {@code entries}; the old rows stay
     */
    public void replaceFileLedger(
            String namespace, String source, String stream, List<FileLedgerEntry> entries) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stream, "stream");
        List<FileLedgerEntry> copy = List.copyOf(entries);
        database.transaction(
                "replace the file ledger of " + namespace + "/" + source + " stream " + stream,
                c -> {
                    fileLedger.replace(c, namespace, source, stream, copy);
                    return null;
                });
    }

    /** The files of every stream of the source, ordered by path. */
    public List<FileLedgerEntry> fileLedger(String namespace, String source) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(source, "source");
        return database.transaction(
                "read the file ledger of " + namespace + "/" + source,
                c -> fileLedger.list(c, namespace, source));
    }

    /** Closes the database; every later call fails with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                database.close();
            } finally {
                if (duckDbFile != null) {
                    openDuckDbFiles.remove(duckDbFile);
                }
            }
        }
    }
}

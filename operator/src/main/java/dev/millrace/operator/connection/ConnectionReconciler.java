package dev.millrace.operator.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.Source;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.operator.job.SyncJobs;
import dev.millrace.operator.kube.ActionAnnotations;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.operator.model.ModelRunRequests;
import dev.millrace.operator.pipeline.ExecutionRecorder;
import dev.millrace.store.Store;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import dev.millrace.store.ledger.FileLedgerEntry;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns sync requests (the {@code millrace.dev/sync} annotation and the schedule) into batch/v1
 * Jobs, and finished Jobs into job history and status. Steps: observe the Jobs, validate the
 * references, start at most one Job, write status.
 *
 * <p>Generation-aware filtering is off: adding an annotation does not bump metadata.generation, and
 * the sync request must still wake the reconciler (DESIGN §9).
 */
@ControllerConfiguration(name = "connection", generationAwareEventProcessing = false)
public class ConnectionReconciler implements Reconciler<Connection> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionReconciler.class);
    static final String JOBS = "jobs";
    static final String SOURCES = "sources";
    static final String DESTINATIONS = "destinations";

    /** A Job the store knows but the API does not show is only called deleted after this. */
    private static final Duration CREATE_GRACE = Duration.ofSeconds(5);

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;
    private final SyncJobFactory jobFactory;
    private final ExecutionRecorder executions;

    public ConnectionReconciler(Store store, OperatorSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.jobFactory = new SyncJobFactory(settings);
        this.executions = new ExecutionRecorder(store, clock);
    }

    @Override
    public List<EventSource<?, Connection>> prepareEventSources(
            EventSourceContext<Connection> context) {
        var jobs =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Job.class, Connection.class)
                                .withName(JOBS)
                                .withLabelSelector(
                                        MillraceApi.MANAGED_BY_LABEL + "=" + MillraceApi.MANAGED_BY)
                                .withSecondaryToPrimaryMapper(
                                        Mappers.fromOwnerReferences(
                                                HasMetadata.getApiVersion(Connection.class),
                                                HasMetadata.getKind(Connection.class),
                                                false))
                                .build(),
                        context);
        var sources =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Source.class, Connection.class)
                                .withName(SOURCES)
                                .withSecondaryToPrimaryMapper(
                                        (Source s) ->
                                                referencing(
                                                        context,
                                                        s,
                                                        c -> c.getSpec().sourceRef.name))
                                .withPrimaryToSecondaryMapper(
                                        (Connection c) ->
                                                Set.of(
                                                        new ResourceID(
                                                                c.getSpec().sourceRef.name,
                                                                c.getMetadata().getNamespace())))
                                .build(),
                        context);
        var destinations =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Destination.class, Connection.class)
                                .withName(DESTINATIONS)
                                .withSecondaryToPrimaryMapper(
                                        (Destination d) ->
                                                referencing(
                                                        context,
                                                        d,
                                                        c -> c.getSpec().destinationRef.name))
                                .withPrimaryToSecondaryMapper(
                                        (Connection c) ->
                                                Set.of(
                                                        new ResourceID(
                                                                c.getSpec().destinationRef.name,
                                                                c.getMetadata().getNamespace())))
                                .build(),
                        context);
        return List.of(jobs, sources, destinations);
    }

    private static Set<ResourceID> referencing(
            EventSourceContext<Connection> context,
            HasMetadata referenced,
            java.util.function.Function<Connection, String> ref) {
        String ns = referenced.getMetadata().getNamespace();
        return context.getPrimaryCache()
                .list(ns)
                .filter(
                        c ->
                                c.getSpec() != null
                                        && referenced.getMetadata().getName().equals(ref.apply(c)))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Connection> reconcile(Connection connection, Context<Connection> context) {
        KubernetesClient client = context.getClient();
        Instant now = clock.instant();
        String ns = connection.getMetadata().getNamespace();
        String name = connection.getMetadata().getName();
        var events = new EventRecorder(client, clock);

        ConnectionStatus status = copy(connection.getStatus());
        status.id = store.idFor("Connection", ns, name, connection.getMetadata().getUid());
        status.observedGeneration = connection.getMetadata().getGeneration();
        executions.onReconcile(connection, client);

        // Observe: record finished Jobs, notice running and deleted ones.
        Set<Job> jobs = context.getSecondaryResources(Job.class);
        Optional<Job> active = observeJobs(connection, jobs, status, client, events, now);

        // Validate: both references must resolve, the schedule must parse, the plan must build.
        Optional<Source> source = context.getSecondaryResource(Source.class, SOURCES);
        Optional<Destination> destination =
                context.getSecondaryResource(Destination.class, DESTINATIONS);
        Optional<Problem> problem = validate(connection, source, destination, client);

        // Act: a requested sync first, then the schedule; never two Jobs at once.
        String request = annotation(connection, MillraceApi.SYNC_ANNOTATION);
        SyncSchedule.Decision schedule =
                problem.isPresent()
                        ? SyncSchedule.Decision.never()
                        : SyncSchedule.decide(
                                connection.getSpec().schedule,
                                parse(connection.getMetadata().getCreationTimestamp()),
                                parse(status.lastScheduledAt),
                                now);
        if (active.isEmpty() && request != null) {
            if (problem.isPresent()) {
                rejectRequest(connection, source, request, problem.get(), client, events, now);
            } else {
                boolean fullRefresh = fullRefreshRequested(connection);
                active =
                        startSync(
                                connection,
                                source.get(),
                                destination.get(),
                                "manual:" + request,
                                fullRefresh,
                                client,
                                events);
                new ActionAnnotations(client)
                        .remove(connection, MillraceApi.SYNC_ANNOTATION, request);
            }
        } else if (active.isEmpty()
                && schedule.dueSlot().isPresent()
                && !connection.getSpec().isSuspended()
                && source.map(s -> s.getSpec().isEnabled()).orElse(false)) {
            Instant slot = schedule.dueSlot().get();
            active =
                    startSync(
                            connection,
                            source.get(),
                            destination.get(),
                            "schedule:" + slot,
                            false,
                            client,
                            events);
            status.lastScheduledAt = slot.toString();
        }

        // Status.
        status.nextSyncAt =
                connection.getSpec().isSuspended()
                        ? null
                        : schedule.nextSlot()
                                .map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString())
                                .orElse(null);
        status.lastJob = lastJob(ns, name);
        Long generation = connection.getMetadata().getGeneration();
        if (problem.isPresent()) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    problem.get().reason(),
                    problem.get().message(),
                    generation,
                    now);
        } else {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.TRUE,
                    "Ready",
                    "source and destination resolved",
                    generation,
                    now);
        }
        boolean syncing = active.isPresent() || request != null;
        Conditions.set(
                status.conditions,
                "Syncing",
                syncing ? Conditions.TRUE : Conditions.FALSE,
                syncing ? (active.isPresent() ? "JobActive" : "Requested") : "Idle",
                active.map(j -> "job " + j.getMetadata().getName())
                        .orElse(syncing ? "sync requested" : "no sync running"),
                generation,
                now);
        new StatusWriter(client).write(connection, status);

        Duration wait = settings.resyncInterval();
        if (active.isEmpty() && !store.activeJobs(ns, name).isEmpty()) {
            // The store expects a Job the API does not show (yet): look again once the grace
            // for a just-created Job has passed, so a deleted one is recorded as cancelled.
            wait = CREATE_GRACE.plusSeconds(1);
        }
        if (status.nextSyncAt != null && active.isEmpty()) {
            Duration untilNext = Duration.between(now, parse(status.nextSyncAt)).plusSeconds(1);
            if (untilNext.compareTo(wait) < 0) {
                wait = untilNext.isNegative() ? Duration.ofSeconds(1) : untilNext;
            }
        }
        if (request != null && active.isPresent() && problem.isEmpty()) {
            // A request waits for the running Job; the Job's completion wakes us too.
            wait = Duration.ofSeconds(30);
        }
        return UpdateControl.<Connection>noUpdate().rescheduleAfter(wait);
    }

    private record Problem(String reason, String message) {}

    private Optional<Problem> validate(
            Connection connection,
            Optional<Source> source,
            Optional<Destination> destination,
            KubernetesClient client) {
        if (source.isEmpty()) {
            return Optional.of(
                    new Problem(
                            "SourceNotFound",
                            "source " + connection.getSpec().sourceRef.name + " does not exist"));
        }
        if (destination.isEmpty()) {
            return Optional.of(
                    new Problem(
                            "DestinationNotFound",
                            "destination "
                                    + connection.getSpec().destinationRef.name
                                    + " does not exist"));
        }
        Optional<String> scheduleProblem = SyncSchedule.problem(connection.getSpec().schedule);
        if (scheduleProblem.isPresent()) {
            return Optional.of(new Problem("InvalidSchedule", scheduleProblem.get()));
        }
        try {
            SyncPlanBuilder.build(
                    0,
                    connection,
                    source.get(),
                    connectorOf(source.get(), client),
                    destination.get(),
                    destinationConnectorOf(destination.get(), client),
                    false);
        } catch (SyncPlanBuilder.InvalidConnection e) {
            return Optional.of(new Problem(e.reason(), e.getMessage()));
        }
        return Optional.empty();
    }

    /** The Connector a database source reads through, or null (the plan builder says why). */
    private static Connector connectorOf(Source source, KubernetesClient client) {
        if (source.getSpec().connectorRef == null) {
            return null;
        }
        return client.resources(Connector.class)
                .inNamespace(source.getMetadata().getNamespace())
                .withName(source.getSpec().connectorRef.name)
                .get();
    }

    /** The Connector a postgres destination writes through, or null. */
    private static Connector destinationConnectorOf(
            Destination destination, KubernetesClient client) {
        if (destination.getSpec().connectorRef == null) {
            return null;
        }
        return client.resources(Connector.class)
                .inNamespace(destination.getMetadata().getNamespace())
                .withName(destination.getSpec().connectorRef.name)
                .get();
    }

    private Optional<Job> observeJobs(
            Connection connection,
            Set<Job> jobs,
            ConnectionStatus status,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        Optional<Job> active = Optional.empty();
        Set<Long> seen = new HashSet<>();
        List<Job> ordered =
                jobs.stream()
                        .sorted(Comparator.comparing(j -> SyncJobs.jobId(j).orElse(0L)))
                        .toList();
        for (Job job : ordered) {
            Optional<Long> id = SyncJobs.jobId(job);
            if (id.isEmpty()) {
                continue;
            }
            seen.add(id.get());
            Optional<JobRecord> record = store.findJob(id.get());
            if (SyncJobs.isFinished(job)) {
                if (record.isPresent() && !record.get().status().isTerminal()) {
                    recordCompletion(connection, job, record.get(), status, client, events, now);
                }
            } else {
                active = Optional.of(job);
                if (record.isPresent()
                        && SyncJobs.phase(job) == SyncJobs.Phase.RUNNING
                        && record.get().status() != JobStatus.RUNNING) {
                    store.markRunning(id.get(), parseOr(job.getStatus().getStartTime(), now));
                }
            }
        }
        // A Job that is gone while the store still calls it active was deleted: that is a cancel.
        for (JobRecord record :
                store.activeJobs(
                        connection.getMetadata().getNamespace(),
                        connection.getMetadata().getName())) {
            // A request still pending as the annotation (the API allocated its job, or our own
            // create failed) is not cancelled: its Job is about to be created.
            String pending = annotation(connection, MillraceApi.SYNC_ANNOTATION);
            if (seen.contains(record.id())
                    || record.createdAt().plus(CREATE_GRACE).isAfter(now)
                    || (pending != null && record.requestKey().equals("manual:" + pending))) {
                continue;
            }
            String jobName =
                    SyncJobFactory.jobName(connection.getMetadata().getName(), record.id());
            Job live =
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(connection.getMetadata().getNamespace())
                            .withName(jobName)
                            .get();
            if (live == null) {
                if (store.complete(
                        record.id(),
                        JobStatus.CANCELLED,
                        now,
                        0,
                        0,
                        "the sync Job was deleted",
                        null)) {
                    log(
                            connection,
                            record.source(),
                            record.id(),
                            LogLevel.WARNING,
                            "Sync cancelled: job " + record.id() + " was deleted");
                    events.warning(
                            connection,
                            "SyncCancelled",
                            "Job " + jobName + " was deleted before it finished");
                }
            } else if (!SyncJobs.isFinished(live)) {
                active = Optional.of(live);
            }
        }
        return active;
    }

    private void recordCompletion(
            Connection connection,
            Job job,
            JobRecord record,
            ConnectionStatus status,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        Optional<JsonNode> result = SyncJobs.result(client, job);
        boolean jobSucceeded = SyncJobs.phase(job) == SyncJobs.Phase.SUCCEEDED;
        String resultStatus = result.map(r -> r.path("status").asText()).orElse("");
        JobStatus outcome;
        if (jobSucceeded && "succeeded".equals(resultStatus)) {
            outcome = JobStatus.SUCCEEDED;
        } else if ("cancelled".equals(resultStatus)) {
            outcome = JobStatus.CANCELLED;
        } else {
            outcome = JobStatus.FAILED;
        }
        long rows = 0;
        long bytes = 0;
        for (JsonNode stream :
                result.map(r -> r.path("streams"))
                        .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance())) {
            rows += stream.path("rowsWritten").asLong(0);
            bytes += stream.path("bytes").asLong(0);
        }
        String error = null;
        if (outcome != JobStatus.SUCCEEDED) {
            error = result.map(r -> r.path("error").asText(null)).orElse(null);
            if (error == null) {
                error =
                        Optional.ofNullable(SyncJobs.failureMessage(job))
                                .orElse("the sync Job failed without a result");
            }
        }
        Instant ended = endTime(job, now);
        if (!store.complete(
                record.id(),
                outcome,
                ended,
                rows,
                bytes,
                error,
                result.map(JsonNode::toString).orElse(null))) {
            return;
        }
        executions.onJobRecorded(connection, record, outcome, ended, result.orElse(null), client);
        String source = record.source();
        if (outcome == JobStatus.SUCCEEDED) {
            status.streams = result.map(ConnectionReconciler::streamStates).orElse(status.streams);
            result.ifPresent(r -> copyFileLedgers(connection, source, record.id(), ended, r));
            status.lastSuccessAt = ended.truncatedTo(ChronoUnit.SECONDS).toString();
            log(
                    connection,
                    source,
                    record.id(),
                    LogLevel.SUCCESS,
                    "Sync completed: " + rows + " rows (job " + record.id() + ")");
            events.normal(
                    connection,
                    "SyncSucceeded",
                    "Job " + job.getMetadata().getName() + " synced " + rows + " rows");
            new ModelRunRequests(client).afterSync(connection, record.id());
        } else {
            log(
                    connection,
                    source,
                    record.id(),
                    outcome == JobStatus.CANCELLED ? LogLevel.WARNING : LogLevel.ERROR,
                    "Sync " + outcome.wireName() + " (job " + record.id() + "): " + error);
            events.warning(
                    connection,
                    outcome == JobStatus.CANCELLED ? "SyncCancelled" : "SyncFailed",
                    "Job " + job.getMetadata().getName() + ": " + error);
        }
    }

    /**
     * Copies each file stream's ledger, as the sync committed it in the destination, into the store
     * so the API can list files with their load status. Files already in the copy with the same
     * size and modification time keep the job that loaded them; new or changed ones get this job. A
     * stream whose ledger did not fit the result keeps its previous copy.
     */
    private void copyFileLedgers(
            Connection connection, String source, long jobId, Instant ended, JsonNode result) {
        String ns = connection.getMetadata().getNamespace();
        Map<String, FileLedgerEntry> known = new java.util.HashMap<>();
        for (FileLedgerEntry entry : store.fileLedger(ns, source)) {
            known.put(entry.path(), entry);
        }
        for (JsonNode stream : result.path("streams")) {
            if (!stream.path("files").isArray() || stream.path("filesOmitted").asBoolean(false)) {
                continue;
            }
            List<FileLedgerEntry> entries = new java.util.ArrayList<>();
            for (JsonNode file : stream.path("files")) {
                String path = file.path("path").asText();
                long size = file.path("size").asLong();
                Instant modified =
                        file.hasNonNull("modified")
                                ? Instant.parse(file.path("modified").asText())
                                : null;
                FileLedgerEntry before = known.get(path);
                boolean unchanged =
                        before != null
                                && before.size() == size
                                && java.util.Objects.equals(before.modified(), modified);
                entries.add(
                        new FileLedgerEntry(
                                path,
                                size,
                                modified,
                                file.path("rows").asLong(),
                                unchanged ? before.jobId() : Long.valueOf(jobId),
                                unchanged ? before.loadedAt() : ended));
            }
            store.replaceFileLedger(ns, source, stream.path("name").asText(), entries);
        }
    }

    private static List<ConnectionStatus.StreamState> streamStates(JsonNode result) {
        List<ConnectionStatus.StreamState> states = new java.util.ArrayList<>();
        for (JsonNode s : result.path("streams")) {
            ConnectionStatus.StreamState state = new ConnectionStatus.StreamState();
            state.name = s.path("name").asText();
            state.table = s.path("table").asText(null);
            state.rowCount =
                    s.path("tableRowCount").isNumber() ? s.path("tableRowCount").asLong() : null;
            state.cursor =
                    s.path("cursor").isNull() || s.path("cursor").isMissingNode()
                            ? null
                            : s.path("cursor").asText();
            states.add(state);
        }
        return states;
    }

    private Optional<Job> startSync(
            Connection connection,
            Source source,
            Destination destination,
            String requestKey,
            boolean fullRefresh,
            KubernetesClient client,
            EventRecorder events) {
        String ns = connection.getMetadata().getNamespace();
        JobRecord record =
                store.allocateJob(
                        new JobRequest(
                                ns,
                                connection.getMetadata().getName(),
                                connection.getMetadata().getUid(),
                                source.getMetadata().getName(),
                                requestKey,
                                JobType.SYNC,
                                fullRefresh));
        if (record.status().isTerminal()) {
            LOG.info(
                    "Request {} of connection {}/{} already ran as job {}",
                    requestKey,
                    ns,
                    connection.getMetadata().getName(),
                    record.id());
            return Optional.empty();
        }
        ObjectNode plan;
        try {
            plan =
                    SyncPlanBuilder.build(
                            record.id(),
                            connection,
                            source,
                            connectorOf(source, client),
                            destination,
                            destinationConnectorOf(destination, client),
                            fullRefresh);
        } catch (SyncPlanBuilder.InvalidConnection e) {
            // validate() built the same plan a moment ago; only a concurrent edit gets here.
            store.complete(
                    record.id(), JobStatus.FAILED, clock.instant(), 0, 0, e.getMessage(), null);
            return Optional.empty();
        }
        Job job = jobFactory.build(connection, record.id(), plan);
        try {
            job = client.resource(job).create();
            log(
                    connection,
                    source.getMetadata().getName(),
                    record.id(),
                    LogLevel.INFO,
                    "Starting sync for "
                            + source.getMetadata().getName()
                            + " (job "
                            + record.id()
                            + (fullRefresh ? ", full refresh" : "")
                            + ")");
            events.normal(
                    connection,
                    "SyncStarted",
                    "Created Job " + job.getMetadata().getName() + " for " + requestKey);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created by an earlier attempt of this same request: nothing to do twice.
            job =
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(ns)
                            .withName(job.getMetadata().getName())
                            .get();
        }
        executions.onJobStarted(connection, record.id(), clock.instant(), client);
        return Optional.ofNullable(job);
    }

    private void rejectRequest(
            Connection connection,
            Optional<Source> source,
            String request,
            Problem problem,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        String sourceName =
                source.map(s -> s.getMetadata().getName())
                        .orElse(connection.getSpec().sourceRef.name);
        log(
                connection,
                sourceName,
                null,
                LogLevel.ERROR,
                "Sync request " + request + " rejected: " + problem.message());
        events.warning(connection, "SyncRejected", problem.message());
        // The request's job may already exist (the public API allocates it before annotating);
        // either way the history shows the request as failed, with the reason.
        JobRecord record =
                store.allocateJob(
                        new JobRequest(
                                connection.getMetadata().getNamespace(),
                                connection.getMetadata().getName(),
                                connection.getMetadata().getUid(),
                                sourceName,
                                "manual:" + request,
                                JobType.SYNC,
                                false));
        store.complete(
                record.id(), JobStatus.FAILED, now, 0, 0, "rejected: " + problem.message(), null);
        new ActionAnnotations(client).remove(connection, MillraceApi.SYNC_ANNOTATION, request);
    }

    private ConnectionStatus.JobSummary lastJob(String ns, String connection) {
        List<JobRecord> latest =
                store.jobs(JobQuery.all().inNamespace(ns).forConnection(connection).page(1, 0));
        if (latest.isEmpty()) {
            return null;
        }
        JobRecord r = latest.get(0);
        ConnectionStatus.JobSummary summary = new ConnectionStatus.JobSummary();
        summary.id = r.id();
        summary.name = SyncJobFactory.jobName(connection, r.id());
        summary.status = r.status().wireName();
        summary.startedAt =
                r.startedAt() == null
                        ? null
                        : r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        summary.endedAt =
                r.endedAt() == null ? null : r.endedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        summary.rowsSynced = r.rowsSynced();
        summary.bytesSynced = r.bytesSynced();
        summary.error = r.error();
        return summary;
    }

    private void log(
            Connection connection, String source, Long jobId, LogLevel level, String message) {
        store.appendLog(
                new LogEntry(
                        clock.instant(),
                        connection.getMetadata().getNamespace(),
                        source,
                        jobId,
                        level,
                        message));
    }

    private static boolean fullRefreshRequested(Connection connection) {
        String options = annotation(connection, MillraceApi.SYNC_OPTIONS_ANNOTATION);
        if (options == null) {
            return false;
        }
        try {
            return Serialization.jsonMapper()
                    .readTree(options)
                    .path("fullRefresh")
                    .asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private static String annotation(HasMetadata resource, String key) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static ConnectionStatus copy(ConnectionStatus status) {
        return status == null
                ? new ConnectionStatus()
                : Serialization.jsonMapper().convertValue(status, ConnectionStatus.class);
    }

    private static Instant endTime(Job job, Instant fallback) {
        if (job.getStatus() != null && job.getStatus().getCompletionTime() != null) {
            return parseOr(job.getStatus().getCompletionTime(), fallback);
        }
        if (job.getStatus() != null && job.getStatus().getConditions() != null) {
            return job.getStatus().getConditions().stream()
                    .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                    .map(c -> parseOr(c.getLastTransitionTime(), fallback))
                    .max(Comparator.naturalOrder())
                    .orElse(fallback);
        }
        return fallback;
    }

    static Instant parse(String timestamp) {
        return timestamp == null ? null : Instant.parse(timestamp);
    }

    private static Instant parseOr(String timestamp, Instant fallback) {
        try {
            return timestamp == null ? fallback : Instant.parse(timestamp);
        } catch (Exception e) {
            return fallback;
        }
    }
}

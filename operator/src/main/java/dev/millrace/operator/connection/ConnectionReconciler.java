package dev.millrace.operator.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.Source;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.alert.Alerts;
import dev.millrace.operator.destination.DestinationLease;
import dev.millrace.operator.job.JobPrerequisites;
import dev.millrace.operator.job.ProgressEndpoint;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.operator.job.SyncJobs;
import dev.millrace.operator.kube.ActionAnnotations;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.operator.metrics.OperatorMetrics;
import dev.millrace.operator.model.ModelRunRequests;
import dev.millrace.operator.pipeline.ExecutionRecorder;
import dev.millrace.store.Store;
import dev.millrace.store.job.AttemptRecord;
import dev.millrace.store.job.AttemptStatus;
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
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
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
    static final String LEASES = "leases";
    static final String PROGRESS = "progress";

    /** A Job the store knows but the API does not show is only called deleted after this. */
    private static final Duration CREATE_GRACE = Duration.ofSeconds(5);

    /** How often a queued job asks for its destination's lease again (also its place in line). */
    private static final Duration QUEUED_RECHECK = Duration.ofSeconds(5);

    private static final SecureRandom TOKENS = new SecureRandom();

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;
    private final SyncJobFactory jobFactory;
    private final JobPrerequisites prerequisites;
    private final ExecutionRecorder executions;
    private final OperatorMetrics metrics;
    private final ProgressEndpoint progressEndpoint;
    private final SimpleInboundEventSource<Connection> progressEvents =
            new SimpleInboundEventSource<>(PROGRESS);

    public ConnectionReconciler(Store store, OperatorSettings settings, Clock clock) {
        this(store, settings, clock, null);
    }

    /**
     * @param progressEndpoint where sync pods report progress, or null for no progress reports
     */
    public ConnectionReconciler(
            Store store,
            OperatorSettings settings,
            Clock clock,
            ProgressEndpoint progressEndpoint) {
        this(store, settings, clock, progressEndpoint, new OperatorMetrics(store));
    }

    /**
     * @param metrics where completed syncs are counted
     */
    public ConnectionReconciler(
            Store store,
            OperatorSettings settings,
            Clock clock,
            ProgressEndpoint progressEndpoint,
            OperatorMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.jobFactory = new SyncJobFactory(settings);
        this.prerequisites = new JobPrerequisites(settings, clock);
        this.executions = new ExecutionRecorder(store, clock, metrics);
        this.progressEndpoint = progressEndpoint;
        if (progressEndpoint != null) {
            progressEndpoint.onProgress(
                    job ->
                            progressEvents.propagateEvent(
                                    new ResourceID(job.connection(), job.namespace())));
        }
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
        // A released Lease wakes the Connections queued for its destination at once.
        var leases =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Lease.class, Connection.class)
                                .withName(LEASES)
                                .withLabelSelector(
                                        MillraceApi.MANAGED_BY_LABEL + "=" + MillraceApi.MANAGED_BY)
                                .withSecondaryToPrimaryMapper(
                                        (Lease l) ->
                                                DestinationLease.destinationOf(l)
                                                        .map(
                                                                d ->
                                                                        referencingName(
                                                                                context,
                                                                                l.getMetadata()
                                                                                        .getNamespace(),
                                                                                d))
                                                        .orElse(Set.of()))
                                .withPrimaryToSecondaryMapper(
                                        (Connection c) ->
                                                Set.of(
                                                        new ResourceID(
                                                                DestinationLease.leaseName(
                                                                        c.getSpec()
                                                                                .destinationRef
                                                                                .name),
                                                                c.getMetadata().getNamespace())))
                                .build(),
                        context);
        return List.of(jobs, sources, destinations, leases, progressEvents);
    }

    private static Set<ResourceID> referencingName(
            EventSourceContext<Connection> context, String ns, String destination) {
        return context.getPrimaryCache()
                .list(ns)
                .filter(
                        c ->
                                c.getSpec() != null
                                        && destination.equals(c.getSpec().destinationRef.name))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
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

        // Observe: record finished attempts, notice running and deleted ones.
        Set<Job> jobs = context.getSecondaryResources(Job.class);
        Optional<Job> active = observeJobs(connection, jobs, status, client, events, now);

        // Validate: both references must resolve, the schedule must parse, the plan must build.
        // A cache miss is asked again of the API: right after an operator (re)start the secondary
        // caches can lag, and an accepted job must not fail as "source does not exist".
        Optional<Source> source =
                context.getSecondaryResource(Source.class, SOURCES)
                        .or(
                                () ->
                                        Optional.ofNullable(
                                                client.resources(Source.class)
                                                        .inNamespace(ns)
                                                        .withName(
                                                                connection.getSpec().sourceRef.name)
                                                        .get()));
        Optional<Destination> destination =
                context.getSecondaryResource(Destination.class, DESTINATIONS)
                        .or(
                                () ->
                                        Optional.ofNullable(
                                                client.resources(Destination.class)
                                                        .inNamespace(ns)
                                                        .withName(
                                                                connection.getSpec()
                                                                        .destinationRef
                                                                        .name)
                                                        .get()));
        Optional<Problem> problem = validate(connection, source, destination, client);

        // Act: a requested sync first, then the schedule; the store's unfinished job (queued,
        // waiting for a retry, or just allocated by the API) before any new one.
        String request = annotation(connection, MillraceApi.SYNC_ANNOTATION);
        SyncSchedule.Decision schedule =
                problem.isPresent()
                        ? SyncSchedule.Decision.never()
                        : SyncSchedule.decide(
                                connection.getSpec().schedule,
                                parse(connection.getMetadata().getCreationTimestamp()),
                                parse(status.lastScheduledAt),
                                now);
        Optional<JobRecord> unfinished = oldestActiveJob(ns, name);
        Optional<JobRecord> allocated = Optional.empty();
        if (active.isEmpty() && unfinished.isEmpty() && request != null) {
            if (problem.isPresent()) {
                rejectRequest(connection, source, request, problem.get(), client, events, now);
            } else {
                allocated =
                        Optional.of(
                                allocate(
                                        connection,
                                        source.get(),
                                        "manual:" + request,
                                        fullRefreshRequested(connection)));
            }
        } else if (active.isEmpty()
                && unfinished.isEmpty()
                && schedule.dueSlot().isPresent()
                && !connection.getSpec().isSuspended()
                && source.map(s -> s.getSpec().isEnabled()).orElse(false)) {
            Instant slot = schedule.dueSlot().get();
            allocated = Optional.of(allocate(connection, source.get(), "schedule:" + slot, false));
            status.lastScheduledAt = slot.toString();
        }
        // Allocation is idempotent: a request or slot seen again (an operator restart before the
        // annotation was removed) returns its job, which may have ended already and must not run
        // again.
        if (allocated.isPresent() && !allocated.get().status().isTerminal()) {
            unfinished = allocated;
        }
        Optional<JobRecord> requested = allocated.isPresent() ? allocated : unfinished;
        if (request != null
                && requested.isPresent()
                && requested.get().requestKey().equals("manual:" + request)) {
            // The store has the request now; the annotation is done with.
            new ActionAnnotations(client).remove(connection, MillraceApi.SYNC_ANNOTATION, request);
            request = null;
        }
        if (destination.isPresent() && serialised(destination.get())) {
            withdrawEndedWaiters(connection, destination.get(), context, client);
        }
        Duration wait = settings.resyncInterval();
        if (active.isEmpty() && unfinished.isPresent()) {
            Advance step =
                    advance(
                            connection,
                            unfinished.get(),
                            source,
                            destination,
                            problem,
                            client,
                            events,
                            now);
            active = step.started();
            wait = step.recheckAfter().orElse(wait);
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
        setSyncing(status, active, request, generation, now);
        new StatusWriter(client).write(connection, status);

        if (active.isEmpty() && hasRunningAttempt(ns, name)) {
            // The store expects a Job the API does not show (yet): look again once the grace
            // for a just-created Job has passed, so a deleted one is recorded as cancelled.
            wait = min(wait, CREATE_GRACE.plusSeconds(1));
        }
        if (status.nextSyncAt != null && active.isEmpty()) {
            Duration untilNext = Duration.between(now, parse(status.nextSyncAt)).plusSeconds(1);
            wait = min(wait, untilNext.isNegative() ? Duration.ofSeconds(1) : untilNext);
        }
        if (request != null && problem.isEmpty()) {
            // A request waits for the running job; the Job's completion wakes us too.
            wait = min(wait, Duration.ofSeconds(30));
        }
        return UpdateControl.<Connection>noUpdate().rescheduleAfter(wait);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void setSyncing(
            ConnectionStatus status,
            Optional<Job> active,
            String request,
            Long generation,
            Instant now) {
        String jobStatus = status.lastJob == null ? null : status.lastJob.status;
        String reason;
        String message;
        if (active.isPresent()) {
            reason = "JobActive";
            message = "job " + active.get().getMetadata().getName();
        } else if ("queued".equals(jobStatus)) {
            reason = "Queued";
            message = "waiting for the destination's lease (another job writes it)";
        } else if ("incomplete".equals(jobStatus)) {
            reason = "RetryPending";
            message =
                    "attempt "
                            + status.lastJob.attempt
                            + " failed; the next attempt starts after a backoff";
        } else if ("pending".equals(jobStatus) || "running".equals(jobStatus)) {
            reason = "JobActive";
            message = "job " + status.lastJob.name;
        } else if (request != null) {
            reason = "Requested";
            message = "sync requested";
        } else {
            reason = null;
            message = "no sync running";
        }
        Conditions.set(
                status.conditions,
                "Syncing",
                reason != null ? Conditions.TRUE : Conditions.FALSE,
                reason != null ? reason : "Idle",
                message,
                generation,
                now);
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
        ObjectNode plan;
        try {
            plan =
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
        // A Job whose account or claims are missing would never start: fail its sync at once.
        return prerequisites
                .missingFor(client, jobFactory.build(connection, 0, plan))
                .map(missing -> new Problem(JobPrerequisites.REASON, missing));
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

    /**
     * Looks at the Connection's Jobs: a finished one ends its attempt (once), a running one marks
     * its attempt started, one whose attempt the store does not know yet (the operator stopped
     * between creating it and recording it) is adopted. A running attempt whose Job has vanished
     * was deleted: that cancels the job.
     */
    private Optional<Job> observeJobs(
            Connection connection,
            Set<Job> jobs,
            ConnectionStatus status,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        Optional<Job> active = Optional.empty();
        Set<String> seen = new HashSet<>();
        List<Job> ordered =
                jobs.stream()
                        .sorted(
                                Comparator.comparing((Job j) -> SyncJobs.jobId(j).orElse(0L))
                                        .thenComparing(SyncJobFactory::attemptOf))
                        .toList();
        for (Job job : ordered) {
            Optional<Long> id = SyncJobs.jobId(job);
            if (id.isEmpty()) {
                continue;
            }
            seen.add(job.getMetadata().getName());
            Optional<JobRecord> record = store.findJob(id.get());
            if (record.isEmpty() || record.get().status().isTerminal()) {
                continue;
            }
            AttemptRecord attempt = adoptAttempt(job, id.get());
            if (SyncJobs.isFinished(job)) {
                if (attempt.status() == AttemptStatus.RUNNING) {
                    finishAttempt(
                            connection, job, record.get(), attempt, status, client, events, now);
                }
            } else {
                active = Optional.of(job);
                if (SyncJobs.phase(job) == SyncJobs.Phase.RUNNING) {
                    Instant started = parseOr(job.getStatus().getStartTime(), now);
                    if (record.get().status() != JobStatus.RUNNING) {
                        store.markRunning(id.get(), started);
                    }
                    if (attempt.startedAt() == null) {
                        store.jobAttempts().markStarted(id.get(), attempt.attempt(), started);
                    }
                }
            }
        }
        String ns = connection.getMetadata().getNamespace();
        for (JobRecord record : store.activeJobs(ns, connection.getMetadata().getName())) {
            Optional<AttemptRecord> attempt = store.jobAttempts().latest(record.id());
            if (attempt.isEmpty()
                    || attempt.get().status() != AttemptStatus.RUNNING
                    || seen.contains(attempt.get().jobName())
                    || attempt.get().createdAt().plus(CREATE_GRACE).isAfter(now)) {
                continue;
            }
            String jobName = attempt.get().jobName();
            if (client.batch().v1().jobs().inNamespace(ns).withName(jobName).get() != null) {
                continue;
            }
            store.jobAttempts()
                    .end(
                            record.id(),
                            attempt.get().attempt(),
                            AttemptStatus.CANCELLED,
                            now,
                            0,
                            0,
                            "the sync Job was deleted",
                            null);
            releaseLease(connection, client, jobName);
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
        }
        return active;
    }

    /** The store's record of the attempt {@code job} runs, recorded from the Job if missing. */
    private AttemptRecord adoptAttempt(Job job, long jobId) {
        int attempt = SyncJobFactory.attemptOf(job);
        return store.jobAttempts().of(jobId).stream()
                .filter(a -> a.attempt() == attempt)
                .findFirst()
                .orElseGet(
                        () ->
                                store.jobAttempts()
                                        .begin(
                                                jobId,
                                                attempt,
                                                job.getMetadata().getName(),
                                                progressTokenOf(job),
                                                parseOr(
                                                        job.getMetadata().getCreationTimestamp(),
                                                        clock.instant())));
    }

    private static String progressTokenOf(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> SyncJobFactory.PROGRESS_TOKEN_ENV.equals(e.getName()))
                .map(io.fabric8.kubernetes.api.model.EnvVar::getValue)
                .findFirst()
                .orElseGet(ConnectionReconciler::newToken);
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        TOKENS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** How one attempt's Job ended, read from the Job and its pod's termination message. */
    private record AttemptOutcome(
            AttemptStatus status,
            boolean retryable,
            long rows,
            long bytes,
            String error,
            Instant ended,
            Optional<JsonNode> result) {}

    private AttemptOutcome outcomeOf(Job job, KubernetesClient client, Instant now) {
        Optional<JsonNode> result = SyncJobs.result(client, job);
        boolean jobSucceeded = SyncJobs.phase(job) == SyncJobs.Phase.SUCCEEDED;
        String resultStatus = result.map(r -> r.path("status").asText()).orElse("");
        AttemptStatus status;
        if (jobSucceeded && "succeeded".equals(resultStatus)) {
            status = AttemptStatus.SUCCEEDED;
        } else if ("cancelled".equals(resultStatus)) {
            status = AttemptStatus.CANCELLED;
        } else {
            status = AttemptStatus.FAILED;
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
        if (status != AttemptStatus.SUCCEEDED) {
            error = result.map(r -> r.path("error").asText(null)).orElse(null);
            if (error == null) {
                error =
                        Optional.ofNullable(SyncJobs.failureMessage(job))
                                .orElse("the sync Job failed without a result");
            }
        }
        // The sync says whether running it again can help (an invalid plan or empty-replace
        // protection cannot); a pod that died without a result (evicted, OOM-killed, a lost node)
        // may well succeed next time.
        boolean retryable =
                status == AttemptStatus.FAILED
                        && result.map(r -> r.path("retryable").asBoolean(true)).orElse(true);
        return new AttemptOutcome(status, retryable, rows, bytes, error, endTime(job, now), result);
    }

    /**
     * Ends an attempt whose Job finished: a failed attempt that may succeed on a retry leaves the
     * job incomplete for the next attempt; anything else ends the job ({@link #recordCompletion}).
     * Either way the destination's lease is released.
     */
    private void finishAttempt(
            Connection connection,
            Job job,
            JobRecord record,
            AttemptRecord attempt,
            ConnectionStatus status,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        AttemptOutcome outcome = outcomeOf(job, client, now);
        boolean ended =
                store.jobAttempts()
                        .end(
                                record.id(),
                                attempt.attempt(),
                                outcome.status(),
                                outcome.ended(),
                                outcome.rows(),
                                outcome.bytes(),
                                outcome.error(),
                                outcome.status() == AttemptStatus.FAILED
                                        ? outcome.retryable()
                                        : null);
        releaseLease(connection, client, job.getMetadata().getName());
        if (!ended) {
            return;
        }
        int max = settings.syncJobs().maxAttempts();
        if (outcome.status() == AttemptStatus.FAILED
                && outcome.retryable()
                && attempt.attempt() < max) {
            store.jobAttempts().markIncomplete(record.id());
            Duration backoff = settings.syncJobs().backoffBefore(attempt.attempt() + 1);
            String message =
                    "Attempt "
                            + attempt.attempt()
                            + " of "
                            + max
                            + " failed ("
                            + outcome.error()
                            + "); retrying in "
                            + backoff.toSeconds()
                            + " s";
            log(connection, record.source(), record.id(), LogLevel.WARNING, message);
            events.warning(
                    connection,
                    "SyncAttemptFailed",
                    "Job " + job.getMetadata().getName() + ": " + message);
            return;
        }
        JobStatus jobOutcome =
                switch (outcome.status()) {
                    case SUCCEEDED -> JobStatus.SUCCEEDED;
                    case CANCELLED -> JobStatus.CANCELLED;
                    default -> JobStatus.FAILED;
                };
        String error = outcome.error();
        if (jobOutcome == JobStatus.FAILED && attempt.attempt() > 1) {
            error = "attempt " + attempt.attempt() + " of " + max + ": " + error;
        } else if (jobOutcome == JobStatus.FAILED && !outcome.retryable()) {
            error = error + " (not retried: running it again cannot succeed)";
        }
        recordCompletion(
                connection,
                job,
                record,
                jobOutcome,
                outcome.rows(),
                outcome.bytes(),
                error,
                outcome.ended(),
                outcome.result(),
                status,
                client,
                events);
    }

    /**
     * The one place a sync job ends with a result: records it once ({@code Store.complete} is
     * idempotent), copies stream states and file ledgers, logs and announces it. Cancellation by
     * deleting the Job is recorded in {@link #observeJobs}, rejection in {@link #rejectRequest}.
     */
    private void recordCompletion(
            Connection connection,
            Job job,
            JobRecord record,
            JobStatus outcome,
            long rows,
            long bytes,
            String error,
            Instant ended,
            Optional<JsonNode> result,
            ConnectionStatus status,
            KubernetesClient client,
            EventRecorder events) {
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
        metrics.syncCompleted(record, outcome, ended, rows);
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
            if (outcome == JobStatus.FAILED) {
                Alerts.enqueue(
                        store,
                        Alerts.syncFailed(
                                connection, record.id(), job.getMetadata().getName(), error, ended),
                        clock.instant());
            }
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

    /** The store's job for a request key: new and pending, or the one made for it before. */
    private JobRecord allocate(
            Connection connection, Source source, String requestKey, boolean fullRefresh) {
        return store.allocateJob(
                new JobRequest(
                        connection.getMetadata().getNamespace(),
                        connection.getMetadata().getName(),
                        connection.getMetadata().getUid(),
                        source.getMetadata().getName(),
                        requestKey,
                        JobType.SYNC,
                        fullRefresh));
    }

    /** The Connection's unfinished job that comes first, if any. */
    private Optional<JobRecord> oldestActiveJob(String ns, String connection) {
        return store.activeJobs(ns, connection).stream()
                .min(Comparator.comparingLong(JobRecord::id));
    }

    private boolean hasRunningAttempt(String ns, String connection) {
        return store.activeJobs(ns, connection).stream()
                .map(r -> store.jobAttempts().latest(r.id()))
                .anyMatch(a -> a.isPresent() && a.get().status() == AttemptStatus.RUNNING);
    }

    /** What {@link #advance} did: the Job it started, and when to look again. */
    private record Advance(Optional<Job> started, Optional<Duration> recheckAfter) {
        static Advance nothing() {
            return new Advance(Optional.empty(), Optional.empty());
        }

        static Advance after(Duration wait) {
            return new Advance(Optional.empty(), Optional.of(wait));
        }
    }

    /**
     * Moves an unfinished job on: when no attempt of it runs, starts the next one, once its backoff
     * has passed and (for a DuckDB destination) the destination's lease is ours. A job waiting for
     * the lease is {@code queued}; its Job is created only with the lease, so no pod ever waits for
     * a DuckDB lock it cannot get.
     */
    private Advance advance(
            Connection connection,
            JobRecord record,
            Optional<Source> source,
            Optional<Destination> destination,
            Optional<Problem> problem,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        List<AttemptRecord> attempts = store.jobAttempts().of(record.id());
        AttemptRecord last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        if (last != null && last.status() == AttemptStatus.RUNNING) {
            return Advance.nothing(); // its Job is about to show, or observeJobs cancels it
        }
        int next = last == null ? 1 : last.attempt() + 1;
        if (problem.isPresent()) {
            failBeforeStart(
                    connection,
                    record,
                    "rejected: " + problem.get().message(),
                    "SyncRejected",
                    events,
                    now);
            return Advance.nothing();
        }
        if (last != null) {
            Instant due = last.endedAt().plus(settings.syncJobs().backoffBefore(next));
            if (due.isAfter(now)) {
                return Advance.after(Duration.between(now, due).plusMillis(200));
            }
        }
        String ns = connection.getMetadata().getNamespace();
        String jobName =
                SyncJobFactory.jobName(connection.getMetadata().getName(), record.id(), next);
        if (serialised(destination.get())) {
            DestinationLease.Outcome lease =
                    new DestinationLease(client, clock)
                            .acquire(
                                    ns,
                                    destination.get().getMetadata().getName(),
                                    jobName,
                                    record.id());
            if (lease instanceof DestinationLease.Waiting waiting) {
                if (record.status() == JobStatus.PENDING) {
                    store.markQueued(record.id());
                    String message =
                            "Job "
                                    + record.id()
                                    + " is queued: "
                                    + (waiting.holder() != null
                                            ? "Job " + waiting.holder() + " is writing"
                                            : "another job comes first for")
                                    + " destination "
                                    + destination.get().getMetadata().getName();
                    log(connection, record.source(), record.id(), LogLevel.INFO, message);
                    events.normal(connection, "SyncQueued", message);
                }
                return Advance.after(QUEUED_RECHECK);
            }
        }
        ObjectNode plan;
        try {
            plan =
                    SyncPlanBuilder.build(
                            record.id(),
                            connection,
                            source.get(),
                            connectorOf(source.get(), client),
                            destination.get(),
                            destinationConnectorOf(destination.get(), client),
                            record.fullRefresh());
        } catch (SyncPlanBuilder.InvalidConnection e) {
            // validate() built the same plan a moment ago; only a concurrent edit gets here.
            releaseLease(connection, client, jobName);
            failBeforeStart(connection, record, e.getMessage(), "SyncFailed", events, now);
            return Advance.nothing();
        }
        String token = newToken();
        SyncJobFactory.Progress progress =
                progressEndpoint == null
                        ? SyncJobFactory.Progress.NONE
                        : new SyncJobFactory.Progress(
                                progressEndpoint.urlFor(record.id(), next), token);
        Job job = jobFactory.build(connection, record.id(), next, plan, progress);
        try {
            job = client.resource(job).create();
            // Not the reconcile's start: acquiring the lease may have waited for another Job, and
            // an attempt begins when its Job exists.
            store.jobAttempts().begin(record.id(), next, jobName, token, clock.instant());
            String what =
                    next == 1
                            ? "Starting sync for " + record.source()
                            : "Starting attempt "
                                    + next
                                    + " of "
                                    + settings.syncJobs().maxAttempts();
            log(
                    connection,
                    record.source(),
                    record.id(),
                    LogLevel.INFO,
                    what
                            + " (job "
                            + record.id()
                            + (record.fullRefresh() ? ", full refresh" : "")
                            + ")");
            events.normal(
                    connection,
                    next == 1 ? "SyncStarted" : "SyncRetried",
                    "Created Job " + jobName + " for " + record.requestKey());
            if (next == 1) {
                // One execution per job, however many attempts it takes.
                executions.onJobStarted(connection, record.id(), clock.instant(), client);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created by an earlier reconcile that stopped before recording it: adopt it.
            job = client.batch().v1().jobs().inNamespace(ns).withName(jobName).get();
            if (job != null) {
                adoptAttempt(job, record.id());
            }
        }
        return new Advance(Optional.ofNullable(job), Optional.empty());
    }

    private static final java.util.regex.Pattern ATTEMPT_JOB =
            java.util.regex.Pattern.compile(".*-(\\d+)(?:-a(\\d+))?");

    /**
     * Takes this Connection's jobs that ended while queued (cancelled through the API, which cannot
     * reach the Lease) out of the destination's line at once; otherwise they would hold their place
     * until the waiter TTL and keep the jobs behind them queued. Reads the cached Lease; writes
     * only when such a waiter is found.
     */
    private void withdrawEndedWaiters(
            Connection connection,
            Destination destination,
            Context<Connection> context,
            KubernetesClient client) {
        Optional<Lease> lease = context.getSecondaryResource(Lease.class, LEASES);
        if (lease.isEmpty()) {
            return;
        }
        String name = connection.getMetadata().getName();
        DestinationLease leases = new DestinationLease(client, clock);
        for (String holder : leases.waiting(lease.get())) {
            var match = ATTEMPT_JOB.matcher(holder);
            if (!match.matches()) {
                continue;
            }
            long jobId = Long.parseLong(match.group(1));
            int attempt = match.group(2) == null ? 1 : Integer.parseInt(match.group(2));
            // Names are shortened for long connections: compare whole names, never prefixes.
            if (!SyncJobFactory.jobName(name, jobId, attempt).equals(holder)) {
                continue;
            }
            boolean ended = store.findJob(jobId).map(j -> j.status().isTerminal()).orElse(true);
            if (ended) {
                leases.withdraw(
                        connection.getMetadata().getNamespace(),
                        destination.getMetadata().getName(),
                        holder);
                LOG.info(
                        "Job {} ended while queued for destination {}; it left the line",
                        jobId,
                        destination.getMetadata().getName());
            }
        }
    }

    /** DuckDB lets one process write a file; other destinations take concurrent writers. */
    private static boolean serialised(Destination destination) {
        return destination.getSpec().type == DestinationType.DUCKDB;
    }

    private void releaseLease(Connection connection, KubernetesClient client, String jobName) {
        // Releasing is a no-op unless this Job holds the lease, so it is safe for any destination.
        new DestinationLease(client, clock)
                .release(
                        connection.getMetadata().getNamespace(),
                        connection.getSpec().destinationRef.name,
                        jobName);
    }

    private void failBeforeStart(
            Connection connection,
            JobRecord record,
            String error,
            String reason,
            EventRecorder events,
            Instant now) {
        if (store.complete(record.id(), JobStatus.FAILED, now, 0, 0, error, null)) {
            log(
                    connection,
                    record.source(),
                    record.id(),
                    LogLevel.ERROR,
                    "Sync failed (job " + record.id() + "): " + error);
            events.warning(connection, reason, error);
            Alerts.enqueue(
                    store, Alerts.syncFailed(connection, record.id(), null, error, now), now);
        }
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
        if (store.complete(
                record.id(), JobStatus.FAILED, now, 0, 0, "rejected: " + problem.message(), null)) {
            Alerts.enqueue(
                    store,
                    Alerts.syncFailed(
                            connection, record.id(), null, "rejected: " + problem.message(), now),
                    now);
        }
        new ActionAnnotations(client).remove(connection, MillraceApi.SYNC_ANNOTATION, request);
    }

    private ConnectionStatus.JobSummary lastJob(String ns, String connection) {
        List<JobRecord> latest =
                store.jobs(JobQuery.all().inNamespace(ns).forConnection(connection).page(1, 0));
        if (latest.isEmpty()) {
            return null;
        }
        JobRecord r = latest.get(0);
        Optional<AttemptRecord> attempt = store.jobAttempts().latest(r.id());
        ConnectionStatus.JobSummary summary = new ConnectionStatus.JobSummary();
        summary.id = r.id();
        summary.name =
                attempt.map(AttemptRecord::jobName)
                        .orElse(SyncJobFactory.jobName(connection, r.id()));
        summary.status = r.status().wireName();
        summary.attempt = attempt.map(AttemptRecord::attempt).orElse(null);
        summary.startedAt =
                r.startedAt() == null
                        ? null
                        : r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        summary.endedAt =
                r.endedAt() == null ? null : r.endedAt().truncatedTo(ChronoUnit.SECONDS).toString();
        summary.rowsSynced = r.rowsSynced();
        summary.bytesSynced = r.bytesSynced();
        summary.error = r.error();
        if (r.status() == JobStatus.RUNNING
                && attempt.isPresent()
                && attempt.get().status() == AttemptStatus.RUNNING
                && attempt.get().progressAt() != null) {
            ConnectionStatus.JobProgress progress = new ConnectionStatus.JobProgress();
            progress.stream = attempt.get().progressStream();
            progress.rows = attempt.get().rowsSynced();
            progress.bytes = attempt.get().bytesSynced();
            progress.updatedAt =
                    attempt.get().progressAt().truncatedTo(ChronoUnit.MILLIS).toString();
            summary.progress = progress;
        }
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

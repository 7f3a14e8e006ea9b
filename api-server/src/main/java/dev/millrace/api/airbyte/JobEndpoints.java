package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.Annotator;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.JobNames;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.Source;
import dev.millrace.store.Store;
import dev.millrace.store.job.AttemptStatus;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * /jobs: an Airbyte job is a sync job of the store. POST allocates the job (pending) and asks the
 * operator for it with the {@code millrace.dev/sync} annotation, whose request key {@code
 * manual:<value>} makes the operator's Job the one with this id. A reset is a full refresh: every
 * stream's table is replaced by a complete re-read and its cursor and file ledger start over.
 */
final class JobEndpoints {
    static final String PATH = AirbytePublicApi.BASE + "/jobs";

    private final KubernetesClient client;
    private final Store store;
    private final Clock clock;
    private final Lookups lookups;
    private final Object jobRequests;

    JobEndpoints(
            KubernetesClient client,
            ResourceCache resources,
            Store store,
            Clock clock,
            Object jobRequests) {
        this.client = client;
        this.store = store;
        this.clock = clock;
        this.jobRequests = jobRequests;
        this.lookups = new Lookups(resources);
    }

    void list(Context ctx) {
        String connectionId = ctx.queryParam("connectionId");
        Connection connection = null;
        if (connectionId != null) {
            String id;
            try {
                id = Requests.uuid(connectionId, "connection");
            } catch (PublicApiException e) {
                throw PublicApiException.invalidQuery("connectionId: " + e.getMessage());
            }
            connection = lookups.byUid(Connection.class, id, "connection");
        }
        JobQuery query = JobQuery.all();
        String jobType = ctx.queryParam("jobType");
        boolean clear = false;
        if (jobType != null) {
            switch (jobType) {
                case "sync" -> query = query.ofType(JobType.SYNC);
                case "reset" -> query = query.ofType(JobType.RESET);
                // Millrace never empties tables without re-reading them, so there are no clear
                // jobs.
                case "clear" -> clear = true;
                default ->
                        throw PublicApiException.invalidQuery(
                                "jobType must be sync, reset or clear, got '" + jobType + "'");
            }
        }
        String status = ctx.queryParam("status");
        if (status != null) {
            try {
                query = query.withStatuses(JobStatus.fromWireName(status));
            } catch (IllegalArgumentException e) {
                throw PublicApiException.invalidQuery("status: " + e.getMessage());
            }
        }
        Paging paging = Paging.of(ctx);
        List<JobRecord> page;
        long total;
        if (clear) {
            page = List.of();
            total = 0;
        } else if (connection != null) {
            // The store filters by name; the uid check drops jobs of an earlier connection that had
            // the same name.
            String uid = connection.getMetadata().getUid();
            List<JobRecord> all =
                    store
                            .jobs(
                                    query.inNamespace(connection.getMetadata().getNamespace())
                                            .forConnection(connection.getMetadata().getName())
                                            .page(Integer.MAX_VALUE, 0))
                            .stream()
                            .filter(r -> uid.equals(r.connectionUid()))
                            .toList();
            page = paging.slice(all);
            total = all.size();
        } else {
            page = store.jobs(query.page(paging.limit(), paging.offset()));
            total = store.countJobs(query);
        }
        ctx.json(paging.body(page.stream().map(JobEndpoints::view).toList(), total, ctx));
    }

    void get(Context ctx) {
        ctx.json(view(find(ctx)));
    }

    /**
     * POST {connectionId, jobType}: a pending job, at once; 409 while one is requested or running.
     */
    void create(Context ctx) {
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, Set.of("connectionId", "jobType"), "");
        String connectionId = Requests.uuidField(body, "connectionId", "connection");
        String jobType = Requests.requiredText(body, "jobType", "");
        JobType type =
                switch (jobType) {
                    case "sync" -> JobType.SYNC;
                    case "reset" -> JobType.RESET;
                    default ->
                            throw PublicApiException.invalidBody(
                                    "jobType must be sync or reset, got '"
                                            + jobType
                                            + "'"
                                            + (jobType.equals("clear")
                                                    ? " (clear, emptying tables without re-reading"
                                                            + " them, is not supported; reset"
                                                            + " replaces them with a full re-read)"
                                                    : ""));
                };
        Connection connection = lookups.byUid(Connection.class, connectionId, "connection");
        String namespace = connection.getMetadata().getNamespace();
        String sourceName = connection.getSpec().sourceRef.name;
        String destinationName = connection.getSpec().destinationRef.name;
        if (client.resources(Source.class).inNamespace(namespace).withName(sourceName).get()
                == null) {
            throw PublicApiException.invalidBody(
                    "Connection "
                            + connectionId
                            + " cannot sync: its source '"
                            + sourceName
                            + "' does not exist");
        }
        if (client.resources(Destination.class)
                        .inNamespace(namespace)
                        .withName(destinationName)
                        .get()
                == null) {
            throw PublicApiException.invalidBody(
                    "Connection "
                            + connectionId
                            + " cannot sync: its destination '"
                            + destinationName
                            + "' does not exist");
        }
        boolean fullRefresh = type == JobType.RESET;
        JobRecord record;
        synchronized (jobRequests) {
            connection = client.resource(connection).get();
            if (connection == null) {
                throw PublicApiException.notFound("connection", connectionId);
            }
            if (syncPendingOrActive(connection, store)) {
                throw PublicApiException.conflict(
                        "A sync is already running or requested for connection " + connectionId);
            }
            String requestId = UUID.randomUUID().toString();
            record =
                    store.allocateJob(
                            new JobRequest(
                                    namespace,
                                    connection.getMetadata().getName(),
                                    connection.getMetadata().getUid(),
                                    sourceName,
                                    "manual:" + requestId,
                                    type,
                                    fullRefresh));
            try {
                // Options are always written: the operator leaves them behind, and a reset's
                // fullRefresh must not carry over into the next sync.
                new Annotator(client)
                        .annotate(
                                connection,
                                Map.of(
                                        MillraceApi.SYNC_ANNOTATION,
                                        requestId,
                                        MillraceApi.SYNC_OPTIONS_ANNOTATION,
                                        Requests.json(Map.of("fullRefresh", fullRefresh))));
            } catch (RuntimeException e) {
                store.complete(
                        record.id(),
                        JobStatus.FAILED,
                        clock.instant(),
                        0,
                        0,
                        "the sync could not be requested: " + e.getMessage(),
                        null);
                throw e;
            }
        }
        ctx.json(view(record));
    }

    /**
     * DELETE: cancels a job that has not ended. A running Job is deleted; a request the operator
     * has not turned into a Job yet is withdrawn (the annotation is removed only if it is still
     * this request's). Either way the store records the job cancelled.
     */
    void cancel(Context ctx) {
        JobRecord record = find(ctx);
        synchronized (jobRequests) {
            record = store.findJob(record.id()).orElseThrow();
            if (record.status().isTerminal()) {
                throw PublicApiException.conflict(
                        "Job " + record.id() + " has already ended: " + record.status().wireName());
            }
            // The job's current attempt runs as <connection>-<id> or <connection>-<id>-a<n>: find
            // its Job by the job-id label rather than by one name.
            var jobs = client.batch().v1().jobs().inNamespace(record.namespace());
            Job job = currentJob(record);
            if (job == null && record.requestKey().startsWith("manual:")) {
                withdrawRequest(record, record.requestKey().substring("manual:".length()));
                // The operator may have created the Job just before the request was withdrawn.
                job = currentJob(record);
            }
            if (job != null) {
                if (finished(job)) {
                    throw PublicApiException.conflict(
                            "Job "
                                    + record.id()
                                    + " has already ended; its result is being recorded");
                }
                jobs.withName(job.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete();
            }
            Instant now = clock.instant();
            if (store.complete(
                    record.id(),
                    JobStatus.CANCELLED,
                    now,
                    0,
                    0,
                    "cancelled through the API",
                    null)) {
                long id = record.id();
                store.jobAttempts()
                        .latest(id)
                        .ifPresent(
                                attempt ->
                                        store.jobAttempts()
                                                .end(
                                                        id,
                                                        attempt.attempt(),
                                                        AttemptStatus.CANCELLED,
                                                        now,
                                                        0,
                                                        0,
                                                        "cancelled through the API",
                                                        null));
                store.appendLog(
                        new LogEntry(
                                now,
                                record.namespace(),
                                record.source(),
                                record.id(),
                                LogLevel.WARNING,
                                "Sync cancelled: job "
                                        + record.id()
                                        + " was cancelled through the API"));
            }
            record = store.findJob(record.id()).orElseThrow();
        }
        ctx.json(view(record));
    }

    /** The Job of the job's newest attempt, if one exists. */
    private Job currentJob(JobRecord record) {
        return client
                .batch()
                .v1()
                .jobs()
                .inNamespace(record.namespace())
                .withLabel(MillraceApi.JOB_ID_LABEL, Long.toString(record.id()))
                .list()
                .getItems()
                .stream()
                .filter(
                        j ->
                                record.connection()
                                        .equals(
                                                j.getMetadata()
                                                        .getLabels()
                                                        .get(MillraceApi.CONNECTION_LABEL)))
                .max(
                        java.util.Comparator.comparing(
                                (Job j) -> {
                                    String attempt =
                                            j.getMetadata().getLabels().get("millrace.dev/attempt");
                                    return attempt == null ? 1 : Integer.parseInt(attempt);
                                }))
                .orElseGet(
                        () ->
                                client.batch()
                                        .v1()
                                        .jobs()
                                        .inNamespace(record.namespace())
                                        .withName(
                                                JobNames.syncJob(record.connection(), record.id()))
                                        .get());
    }

    /** Removes the request's annotation with a JSON Patch that first tests it is still this one. */
    private void withdrawRequest(JobRecord record, String requestId) {
        Connection connection =
                client.resources(Connection.class)
                        .inNamespace(record.namespace())
                        .withName(record.connection())
                        .get();
        if (connection == null
                || !record.connectionUid().equals(connection.getMetadata().getUid())) {
            return;
        }
        String pointer =
                "/metadata/annotations/"
                        + MillraceApi.SYNC_ANNOTATION.replace("~", "~0").replace("/", "~1");
        String patch =
                Requests.json(
                        List.of(
                                Map.of("op", "test", "path", pointer, "value", requestId),
                                Map.of("op", "remove", "path", pointer)));
        try {
            client.resource(connection).patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            // A failed test: the operator took the request (or a newer one replaced it).
            Connection latest = client.resource(connection).get();
            Map<String, String> annotations =
                    latest == null ? null : latest.getMetadata().getAnnotations();
            if (annotations != null
                    && requestId.equals(annotations.get(MillraceApi.SYNC_ANNOTATION))) {
                throw e;
            }
        }
    }

    private static boolean finished(Job job) {
        if (job.getStatus() == null) {
            return false;
        }
        boolean ended =
                job.getStatus().getConditions() != null
                        && job.getStatus().getConditions().stream()
                                .anyMatch(
                                        c ->
                                                "True".equals(c.getStatus())
                                                        && List.of(
                                                                        "Complete",
                                                                        "Failed",
                                                                        "SuccessCriteriaMet",
                                                                        "FailureTarget")
                                                                .contains(c.getType()));
        return ended
                || (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0);
    }

    /** A sync is requested (annotation present) or a job of the connection has not ended. */
    static boolean syncPendingOrActive(Connection connection, Store store) {
        Map<String, String> annotations = connection.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(MillraceApi.SYNC_ANNOTATION)) {
            return true;
        }
        return !store.activeJobs(
                        connection.getMetadata().getNamespace(), connection.getMetadata().getName())
                .isEmpty();
    }

    private JobRecord find(Context ctx) {
        String value = ctx.pathParam("jobId");
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException e) {
            id = 0;
        }
        if (id <= 0) {
            throw PublicApiException.invalidId(
                    "job", "'" + value + "' is not a valid job ID (a positive integer)");
        }
        long jobId = id;
        return store.findJob(jobId)
                .orElseThrow(() -> PublicApiException.notFound("job", String.valueOf(jobId)));
    }

    /** A job in the reference's shape: ids and times (epoch milliseconds) as strings. */
    static Map<String, Object> view(JobRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("jobId", String.valueOf(record.id()));
        view.put("status", record.status().wireName());
        view.put("jobType", record.type().wireName());
        view.put("connectionId", record.connectionUid());
        view.put("createdAt", String.valueOf(record.createdAt().toEpochMilli()));
        if (record.startedAt() != null) {
            view.put("startTime", String.valueOf(record.startedAt().toEpochMilli()));
        }
        Instant updated = record.createdAt();
        for (Instant t : new Instant[] {record.startedAt(), record.endedAt()}) {
            if (t != null && t.isAfter(updated)) {
                updated = t;
            }
        }
        view.put("lastUpdatedAt", String.valueOf(updated.toEpochMilli()));
        view.put("rowsSynced", record.rowsSynced());
        view.put("bytesSynced", record.bytesSynced());
        return view;
    }
}

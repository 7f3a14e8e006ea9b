package dev.millrace.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.crds.model.ModelStatus;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.destination.DestinationLease;
import dev.millrace.operator.job.JobPrerequisites;
import dev.millrace.operator.job.SyncJobs;
import dev.millrace.operator.kube.ActionAnnotations;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import dev.millrace.store.model.ModelRunRecord;
import dev.millrace.store.model.ModelRunRequest;
import dev.millrace.store.model.ModelRunStatus;
import dev.millrace.sync.model.ModelPlan;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
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

/**
 * Runs SQL Models as batch/v1 Jobs. Steps: observe the model's Jobs (record finished runs), check
 * its dependencies and destination, act on a {@code millrace.dev/run} request (at most one Job per
 * model; a request that is part of a larger one waits for the models it depends on), write status.
 *
 * <p>Generation-aware filtering is off, because the run annotation must wake the reconciler. Other
 * Models are watched too: a change to one wakes the models that depend on it, which is how a
 * waiting downstream model notices that its upstream finished.
 */
@ControllerConfiguration(name = "model", generationAwareEventProcessing = false)
public class ModelReconciler implements Reconciler<Model> {
    static final String JOBS = "model-jobs";
    static final String UPSTREAM = "upstream-models";
    static final String DESTINATIONS = "model-destinations";

    /** A run the store knows but whose Job the API does not show is only called lost after this. */
    private static final Duration CREATE_GRACE = Duration.ofSeconds(5);

    /**
     * A model waiting for its upstreams wakes when one of them changes; this is the backstop, short
     * because a cascade's steps add up.
     */
    private static final Duration WAITING_RECHECK = Duration.ofSeconds(2);

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;
    private final ModelJobFactory jobFactory;
    private final JobPrerequisites prerequisites;

    public ModelReconciler(Store store, OperatorSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.jobFactory = new ModelJobFactory(settings);
        this.prerequisites = new JobPrerequisites(settings, clock);
    }

    @Override
    public List<EventSource<?, Model>> prepareEventSources(EventSourceContext<Model> context) {
        var jobs =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Job.class, Model.class)
                                .withName(JOBS)
                                .withLabelSelector(
                                        MillraceApi.MANAGED_BY_LABEL + "=" + MillraceApi.MANAGED_BY)
                                .withSecondaryToPrimaryMapper(
                                        Mappers.fromOwnerReferences(
                                                HasMetadata.getApiVersion(Model.class),
                                                HasMetadata.getKind(Model.class),
                                                false))
                                .build(),
                        context);
        var upstream =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Model.class, Model.class)
                                .withName(UPSTREAM)
                                .withSecondaryToPrimaryMapper(
                                        (Model changed) ->
                                                context.getPrimaryCache()
                                                        .list(changed.getMetadata().getNamespace())
                                                        .filter(
                                                                m ->
                                                                        ModelGraph.dependencies(
                                                                                        m.getSpec())
                                                                                .stream()
                                                                                .anyMatch(
                                                                                        d ->
                                                                                                ModelGraph
                                                                                                        .names(
                                                                                                                d,
                                                                                                                changed.getMetadata()
                                                                                                                        .getName())))
                                                        .map(ResourceID::fromResource)
                                                        .collect(Collectors.toSet()))
                                .withPrimaryToSecondaryMapper((Model m) -> Set.<ResourceID>of())
                                .build(),
                        context);
        var destinations =
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Destination.class, Model.class)
                                .withName(DESTINATIONS)
                                .withSecondaryToPrimaryMapper(
                                        (Destination d) ->
                                                context.getPrimaryCache()
                                                        .list(d.getMetadata().getNamespace())
                                                        .filter(
                                                                m ->
                                                                        m.getSpec() != null
                                                                                && m.getSpec()
                                                                                                .destinationRef
                                                                                        != null
                                                                                && d.getMetadata()
                                                                                        .getName()
                                                                                        .equals(
                                                                                                m
                                                                                                        .getSpec()
                                                                                                        .destinationRef
                                                                                                        .name))
                                                        .map(ResourceID::fromResource)
                                                        .collect(Collectors.toSet()))
                                .withPrimaryToSecondaryMapper(
                                        (Model m) ->
                                                Set.of(
                                                        new ResourceID(
                                                                m.getSpec().destinationRef.name,
                                                                m.getMetadata().getNamespace())))
                                .build(),
                        context);
        return List.of(jobs, upstream, destinations);
    }

    @Override
    public UpdateControl<Model> reconcile(Model model, Context<Model> context) {
        KubernetesClient client = context.getClient();
        Instant now = clock.instant();
        String ns = model.getMetadata().getNamespace();
        String name = model.getMetadata().getName();
        Long generation = model.getMetadata().getGeneration();
        var events = new EventRecorder(client, clock);

        ModelStatus status = copy(model.getStatus());
        status.id = store.idFor("Model", ns, name, model.getMetadata().getUid());
        status.observedGeneration = generation;

        // Observe.
        Optional<Job> active =
                observeJobs(model, context.getSecondaryResources(Job.class), client, events, now);

        // Validate. Other models are read from the API, not a cache: whether an upstream still
        // holds a request must be current (see gate()).
        List<Model> all = client.resources(Model.class).inNamespace(ns).list().getItems();
        ModelGraph graph = ModelGraph.of(all);
        Optional<Destination> destination =
                context.getSecondaryResource(Destination.class, DESTINATIONS);
        Optional<ModelGraph.Problem> problem = validate(model, graph, destination, client);

        // Act.
        String request = annotation(model, MillraceApi.RUN_ANNOTATION);
        boolean waiting = false;
        if (active.isEmpty() && request != null) {
            String key = "manual:" + request;
            Optional<ModelRunRecord> done =
                    store.modelRuns().find(model.getMetadata().getUid(), key);
            if (done.isPresent() && done.get().status().isTerminal()) {
                // Acted on before a restart; only the annotation was left behind.
                new ActionAnnotations(client).remove(model, MillraceApi.RUN_ANNOTATION, request);
            } else if (problem.isPresent()) {
                finishWithout(
                        model,
                        request,
                        ModelRunStatus.FAILED,
                        problem.get().message(),
                        client,
                        now);
                events.warning(model, "ModelRunRejected", problem.get().message());
            } else {
                Gate gate = gate(model, graph, all, request);
                if (gate.waiting()) {
                    waiting = true;
                } else if (gate.skipReason() != null) {
                    finishWithout(
                            model, request, ModelRunStatus.SKIPPED, gate.skipReason(), client, now);
                    events.warning(model, "ModelRunSkipped", gate.skipReason());
                } else {
                    boolean cascade = cascadeRequested(model);
                    if (cascade) {
                        requestDownstream(model, graph, request, client);
                    }
                    active =
                            startRun(
                                    model,
                                    graph,
                                    destination.get(),
                                    request,
                                    cascade,
                                    client,
                                    events);
                    if (active.isPresent()) {
                        new ActionAnnotations(client)
                                .remove(model, MillraceApi.RUN_ANNOTATION, request);
                    } else {
                        // In line for the destination's lease: the request stays until it runs.
                        waiting = true;
                    }
                }
            }
        }

        // Status.
        summarise(status, ns, name, active.isPresent());
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
                    "dependencies and destination resolved",
                    generation,
                    now);
        }
        Conditions.set(
                status.conditions,
                "Running",
                active.isPresent() || waiting ? Conditions.TRUE : Conditions.FALSE,
                active.isPresent() ? "JobActive" : waiting ? "WaitingForUpstream" : "Idle",
                active.map(j -> "job " + j.getMetadata().getName())
                        .orElse(
                                waiting
                                        ? "waiting for the models it depends on to finish"
                                        : "no run in progress"),
                generation,
                now);
        new StatusWriter(client).write(model, status);

        Duration wait = settings.resyncInterval();
        if (waiting || (request != null && active.isPresent())) {
            wait = WAITING_RECHECK;
        } else if (active.isEmpty() && !store.modelRuns().active(ns, name).isEmpty()) {
            wait = CREATE_GRACE.plusSeconds(1);
        }
        return UpdateControl.<Model>noUpdate().rescheduleAfter(wait);
    }

    private Optional<ModelGraph.Problem> validate(
            Model model,
            ModelGraph graph,
            Optional<Destination> destination,
            KubernetesClient client) {
        ModelSpec spec = model.getSpec();
        if (destination.isEmpty()) {
            return Optional.of(
                    new ModelGraph.Problem(
                            "DestinationNotFound",
                            "destination " + spec.destinationRef.name + " does not exist"));
        }
        if (destination.get().getSpec().type != DestinationType.DUCKDB) {
            return Optional.of(
                    new ModelGraph.Problem(
                            "UnsupportedDestination",
                            "models are built in duckdb destinations; "
                                    + spec.destinationRef.name
                                    + " is not one"));
        }
        Optional<ModelGraph.Problem> graphProblem = graph.problem(model.getMetadata().getName());
        if (graphProblem.isPresent()) {
            return graphProblem;
        }
        // The run's Job mounts the warehouse claim as the sync account: both must exist here.
        return prerequisites
                .missing(
                        client,
                        model.getMetadata().getNamespace(),
                        settings.jobServiceAccount(),
                        settings.warehouseClaim() == null
                                ? List.of()
                                : List.of(settings.warehouseClaim()))
                .map(missing -> new ModelGraph.Problem(JobPrerequisites.REASON, missing));
    }

    /**
     * Whether this request may run now. An upstream model that holds the same request, or whose run
     * for it has not ended, makes this one wait; one whose run for it failed or was skipped makes
     * this one skipped. Upstreams the request does not include do not matter. The annotation is
     * read before the store: an upstream removes its annotation only after its run is in the store,
     * so seeing the annotation gone means the store shows the run.
     */
    private Gate gate(Model model, ModelGraph graph, List<Model> all, String request) {
        for (String upstreamName : graph.upstreamOf(model.getMetadata().getName())) {
            Model upstream = graph.model(upstreamName).orElseThrow();
            if (request.equals(annotation(upstream, MillraceApi.RUN_ANNOTATION))) {
                return Gate.WAIT;
            }
            Optional<ModelRunRecord> run =
                    store.modelRuns().find(upstream.getMetadata().getUid(), "manual:" + request);
            if (run.isEmpty()) {
                continue;
            }
            switch (run.get().status()) {
                case PENDING, RUNNING:
                    return Gate.WAIT;
                case SUCCEEDED:
                    continue;
                default:
                    return new Gate(
                            false,
                            "not run: model "
                                    + upstreamName
                                    + (run.get().status() == ModelRunStatus.SKIPPED
                                            ? " did not run"
                                            : " failed")
                                    + " in the same request");
            }
        }
        return Gate.GO;
    }

    private record Gate(boolean waiting, String skipReason) {
        static final Gate WAIT = new Gate(true, null);
        static final Gate GO = new Gate(false, null);
    }

    /** Asks every downstream model to run in the same request; each waits for its upstreams. */
    private void requestDownstream(
            Model model, ModelGraph graph, String request, KubernetesClient client) {
        ModelRunRequests requests = new ModelRunRequests(client);
        for (String name : graph.downstreamOf(model.getMetadata().getName())) {
            Model downstream = graph.model(name).orElseThrow();
            if (!request.equals(annotation(downstream, MillraceApi.RUN_ANNOTATION))) {
                requests.request(downstream, request, ModelRunRequests.NOT_CASCADING);
            }
        }
    }

    private Optional<Job> startRun(
            Model model,
            ModelGraph graph,
            Destination destination,
            String request,
            boolean cascade,
            KubernetesClient client,
            EventRecorder events) {
        ModelRunRecord run =
                store.modelRuns()
                        .allocate(
                                new ModelRunRequest(
                                        model.getMetadata().getNamespace(),
                                        model.getMetadata().getName(),
                                        model.getMetadata().getUid(),
                                        "manual:" + request,
                                        cascade));
        ModelSpec spec = model.getSpec();
        ModelPlan plan =
                new ModelPlan(
                        run.id(),
                        ModelGraph.relationName(model.getMetadata().getName()),
                        destination.getMetadata().getName(),
                        destination.getSpec().duckdbPath(),
                        spec.schema == null ? "marts" : spec.schema,
                        spec.materialization == ModelSpec.Materialization.TABLE
                                ? ModelPlan.TABLE
                                : ModelPlan.VIEW,
                        graph.render(model.getMetadata().getName()));
        Job built = jobFactory.build(model, plan);
        // A model run writes the DuckDB file syncs write: it takes the same lease, in job id order.
        DestinationLease.Outcome lease =
                new DestinationLease(client, clock)
                        .acquire(
                                model.getMetadata().getNamespace(),
                                destination.getMetadata().getName(),
                                built.getMetadata().getName(),
                                run.id());
        if (lease instanceof DestinationLease.Waiting) {
            return Optional.empty();
        }
        Job job = launch(client, built);
        events.normal(
                model,
                "ModelRunStarted",
                "Created Job " + job.getMetadata().getName() + (cascade ? " (cascade)" : ""));
        return Optional.of(job);
    }

    /**
     * Creates a model run's Job. Every model run Job is created here and nowhere else, so that
     * serialising the Jobs that write one DuckDB file (a Lease per destination) wraps this method.
     * A Job created by an earlier attempt of the same request answers 409 and is returned as is.
     */
    Job launch(KubernetesClient client, Job job) {
        try {
            return client.resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName())
                    .get();
        }
    }

    /** Records a request that ends without a Job (refused or skipped) and removes it. */
    private void finishWithout(
            Model model,
            String request,
            ModelRunStatus outcome,
            String reason,
            KubernetesClient client,
            Instant now) {
        ModelRunRecord run =
                store.modelRuns()
                        .allocate(
                                new ModelRunRequest(
                                        model.getMetadata().getNamespace(),
                                        model.getMetadata().getName(),
                                        model.getMetadata().getUid(),
                                        "manual:" + request,
                                        cascadeRequested(model)));
        store.modelRuns().complete(run.id(), outcome, now, null, reason, null);
        new ActionAnnotations(client).remove(model, MillraceApi.RUN_ANNOTATION, request);
    }

    private Optional<Job> observeJobs(
            Model model,
            Set<Job> jobs,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        Optional<Job> active = Optional.empty();
        Set<Long> seen = new HashSet<>();
        for (Job job :
                jobs.stream()
                        .sorted(Comparator.comparing(j -> SyncJobs.jobId(j).orElse(0L)))
                        .toList()) {
            Optional<Long> id = SyncJobs.jobId(job);
            if (id.isEmpty()) {
                continue;
            }
            seen.add(id.get());
            Optional<ModelRunRecord> run = store.modelRuns().find(id.get());
            if (SyncJobs.isFinished(job)) {
                if (run.isPresent() && !run.get().status().isTerminal()) {
                    recordCompletion(model, job, run.get(), client, events, now);
                }
            } else {
                active = Optional.of(job);
                if (run.isPresent()
                        && SyncJobs.phase(job) == SyncJobs.Phase.RUNNING
                        && run.get().status() == ModelRunStatus.PENDING) {
                    store.modelRuns().markRunning(id.get(), now);
                }
            }
        }
        // A run whose Job vanished before it finished (deleted by hand, or never created because
        // the create failed) ended without a result.
        for (ModelRunRecord run :
                store.modelRuns()
                        .active(
                                model.getMetadata().getNamespace(),
                                model.getMetadata().getName())) {
            if (seen.contains(run.id()) || run.createdAt().plus(CREATE_GRACE).isAfter(now)) {
                continue;
            }
            String jobName = ModelJobFactory.jobName(model.getMetadata().getName(), run.id());
            Job live =
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(model.getMetadata().getNamespace())
                            .withName(jobName)
                            .get();
            if (live == null) {
                if (store.modelRuns()
                        .complete(
                                run.id(),
                                ModelRunStatus.FAILED,
                                now,
                                null,
                                "the model run Job " + jobName + " was deleted before it finished",
                                null)) {
                    events.warning(model, "ModelRunFailed", "Job " + jobName + " was deleted");
                }
            } else if (!SyncJobs.isFinished(live)) {
                active = Optional.of(live);
            }
        }
        return active;
    }

    private void recordCompletion(
            Model model,
            Job job,
            ModelRunRecord run,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        new DestinationLease(client, clock)
                .release(
                        model.getMetadata().getNamespace(),
                        model.getSpec().destinationRef.name,
                        job.getMetadata().getName());
        Optional<JsonNode> result = result(client, job);
        boolean succeeded =
                SyncJobs.phase(job) == SyncJobs.Phase.SUCCEEDED
                        && result.map(r -> "succeeded".equals(r.path("status").asText()))
                                .orElse(false);
        Long rows =
                result.filter(r -> r.path("rowCount").isNumber())
                        .map(r -> r.path("rowCount").asLong())
                        .orElse(null);
        String error = null;
        if (!succeeded) {
            error = result.map(r -> r.path("error").asText(null)).orElse(null);
            if (error == null) {
                error =
                        Optional.ofNullable(SyncJobs.failureMessage(job))
                                .orElse("the model run Job failed without a result");
            }
        }
        Instant ended =
                job.getStatus() != null && job.getStatus().getCompletionTime() != null
                        ? Instant.parse(job.getStatus().getCompletionTime())
                        : now;
        if (run.startedAt() == null) {
            store.modelRuns().markRunning(run.id(), ended);
        }
        if (!store.modelRuns()
                .complete(
                        run.id(),
                        succeeded ? ModelRunStatus.SUCCEEDED : ModelRunStatus.FAILED,
                        ended,
                        succeeded ? rows : null,
                        error,
                        result.map(JsonNode::toString).orElse(null))) {
            return;
        }
        if (succeeded) {
            events.normal(
                    model,
                    "ModelRunSucceeded",
                    "Job "
                            + job.getMetadata().getName()
                            + " built "
                            + result.map(r -> r.path("relation").asText()).orElse("the model")
                            + (rows == null ? "" : " with " + rows + " rows"));
        } else {
            events.warning(
                    model, "ModelRunFailed", "Job " + job.getMetadata().getName() + ": " + error);
        }
    }

    /** The run's result JSON from the termination message of the Job's newest pod. */
    private static Optional<JsonNode> result(KubernetesClient client, Job job) {
        List<Pod> pods =
                client.pods()
                        .inNamespace(job.getMetadata().getNamespace())
                        .withLabel("job-name", job.getMetadata().getName())
                        .list()
                        .getItems();
        return pods.stream()
                .max(
                        Comparator.comparing(
                                p ->
                                        p.getMetadata().getCreationTimestamp() == null
                                                ? ""
                                                : p.getMetadata().getCreationTimestamp()))
                .flatMap(ModelReconciler::terminationMessage)
                .flatMap(ModelReconciler::parseResult);
    }

    private static Optional<String> terminationMessage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(cs -> ModelJobFactory.CONTAINER.equals(cs.getName()))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank())
                .findFirst();
    }

    /** The last line that is a JSON object with a status (log lines may precede it). */
    private static Optional<JsonNode> parseResult(String message) {
        String[] lines = message.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    JsonNode node = Serialization.jsonMapper().readTree(line);
                    if (node.isObject() && node.has("status")) {
                        return Optional.of(node);
                    }
                } catch (Exception ignored) {
                    // not the result line
                }
            }
        }
        return Optional.empty();
    }

    /** status, lastRun, rowCount, lastError and lastRunId from the store's runs of the model. */
    private void summarise(ModelStatus status, String ns, String name, boolean jobActive) {
        List<ModelRunRecord> runs = store.modelRuns().latest(ns, name, 50);
        if (runs.isEmpty()) {
            status.status = jobActive ? ModelStatus.Phase.RUNNING : ModelStatus.Phase.NOT_RUN;
            return;
        }
        ModelRunRecord latest = runs.get(0);
        status.lastRunId = latest.id();
        status.status =
                jobActive
                        ? ModelStatus.Phase.RUNNING
                        : switch (latest.status()) {
                            case PENDING, RUNNING -> ModelStatus.Phase.RUNNING;
                            case SUCCEEDED -> ModelStatus.Phase.SUCCESS;
                            case FAILED -> ModelStatus.Phase.ERROR;
                            case SKIPPED -> ModelStatus.Phase.NOT_RUN;
                        };
        status.lastError =
                latest.status() == ModelRunStatus.FAILED
                                || latest.status() == ModelRunStatus.SKIPPED
                        ? latest.error()
                        : null;
        runs.stream()
                .filter(
                        r ->
                                r.endedAt() != null
                                        && (r.status() == ModelRunStatus.SUCCEEDED
                                                || r.status() == ModelRunStatus.FAILED))
                .findFirst()
                .ifPresent(
                        r ->
                                status.lastRun =
                                        r.endedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        runs.stream()
                .filter(r -> r.status() == ModelRunStatus.SUCCEEDED)
                .findFirst()
                .ifPresent(r -> status.rowCount = r.rowCount());
    }

    private static boolean cascadeRequested(Model model) {
        String options = annotation(model, MillraceApi.RUN_OPTIONS_ANNOTATION);
        if (options == null) {
            return false;
        }
        try {
            return Serialization.jsonMapper().readTree(options).path("cascade").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private static String annotation(HasMetadata resource, String key) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static ModelStatus copy(ModelStatus status) {
        return status == null
                ? new ModelStatus()
                : Serialization.jsonMapper().convertValue(status, ModelStatus.class);
    }
}

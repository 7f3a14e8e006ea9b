package dev.millrace.operator.pipeline;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.alert.Alerts;
import dev.millrace.operator.kube.ActionAnnotations;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import dev.millrace.store.check.CheckTarget;
import dev.millrace.store.check.FreshnessBreach;
import dev.millrace.store.check.LateExecution;
import dev.millrace.store.check.Threshold;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps a Pipeline's id and status, and runs its freshness and timeliness checks (Watcher
 * semantics) every {@link OperatorSettings#checkInterval()} and at once when the {@code
 * millrace.dev/check} annotation appears. Each breach is logged once by the store; only a newly
 * logged breach makes an Event, while the Fresh and Timely conditions say what holds now.
 *
 * <p>Generation-aware filtering is off so that the check annotation wakes the reconciler (DESIGN
 * §9). The status it writes is a function of the store's state, so a write it causes itself finds
 * nothing new and stays quiet.
 */
@ControllerConfiguration(name = "pipeline", generationAwareEventProcessing = false)
public class PipelineReconciler implements Reconciler<Pipeline> {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(PipelineReconciler.class);
    public static final String KIND = "Pipeline";
    static final String FRESH = "Fresh";
    static final String TIMELY = "Timely";
    static final Duration TIMELINESS_MARGIN = Duration.ofDays(1);

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;

    public PipelineReconciler(Store store, OperatorSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public UpdateControl<Pipeline> reconcile(Pipeline cached, Context<Pipeline> context) {
        KubernetesClient client = context.getClient();
        // The informer's copy can lag behind a check annotation written while the previous
        // reconcile ran; acting on the API server's copy never misses one.
        Pipeline pipeline =
                client.resources(Pipeline.class)
                        .inNamespace(cached.getMetadata().getNamespace())
                        .withName(cached.getMetadata().getName())
                        .get();
        if (pipeline == null) {
            return UpdateControl.noUpdate();
        }
        Instant now = clock.instant();
        String ns = pipeline.getMetadata().getNamespace();
        Long generation = pipeline.getMetadata().getGeneration();
        var events = new EventRecorder(client, clock);
        PipelineStatus status =
                pipeline.getStatus() == null
                        ? new PipelineStatus()
                        : Serialization.jsonMapper()
                                .convertValue(pipeline.getStatus(), PipelineStatus.class);
        long id =
                store.idFor(
                        KIND,
                        ns,
                        pipeline.getMetadata().getName(),
                        pipeline.getMetadata().getUid());
        status.id = id;
        status.observedGeneration = generation;

        // Validate: the type must exist; it also supplies default thresholds.
        String typeName = pipeline.getSpec().pipelineTypeRef.name;
        PipelineType type =
                client.resources(PipelineType.class).inNamespace(ns).withName(typeName).get();
        if (type == null) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    "PipelineTypeNotFound",
                    "pipeline type " + typeName + " does not exist",
                    generation,
                    now);
        } else {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.TRUE,
                    "Accepted",
                    "pipeline type " + typeName + " resolved",
                    generation,
                    now);
        }

        PipelineStatusFields.copyHistory(store, id, status, generation, now);
        if (type != null) {
            check(pipeline, type, id, status, events, now);
        }
        new StatusWriter(client).write(pipeline, status);

        String checkRequest = annotation(pipeline, MillraceApi.CHECK_ANNOTATION);
        if (checkRequest != null) {
            LOG.info(
                    "Checked pipeline {}/{} on request {}",
                    ns,
                    pipeline.getMetadata().getName(),
                    checkRequest);
            new ActionAnnotations(client)
                    .remove(pipeline, MillraceApi.CHECK_ANNOTATION, checkRequest);
        }
        Duration wait = type == null ? Duration.ofSeconds(30) : settings.checkInterval();
        return UpdateControl.<Pipeline>noUpdate().rescheduleAfter(wait);
    }

    private void check(
            Pipeline pipeline,
            PipelineType type,
            long id,
            PipelineStatus status,
            EventRecorder events,
            Instant now) {
        Long generation = pipeline.getMetadata().getGeneration();
        boolean active = !Boolean.FALSE.equals(pipeline.getSpec().active);

        Thresholds.Choice freshness =
                Thresholds.choose(
                        pipeline.getSpec().freshness, type.getSpec().freshness, "freshness");
        if (!active || freshness.threshold().isEmpty()) {
            Conditions.set(
                    status.conditions,
                    FRESH,
                    Conditions.UNKNOWN,
                    "NotChecked",
                    active ? freshness.skipReason() : "the pipeline is inactive",
                    generation,
                    now);
        } else {
            Threshold threshold = freshness.threshold().get();
            List<FreshnessBreach> breaches =
                    store.checks().freshness(List.of(new CheckTarget(id, threshold)), now);
            if (breaches.isEmpty()) {
                Conditions.set(
                        status.conditions,
                        FRESH,
                        status.lastTargetInsert == null
                                        && status.lastTargetUpdate == null
                                        && status.lastTargetSoftDelete == null
                                ? Conditions.UNKNOWN
                                : Conditions.TRUE,
                        status.lastTargetInsert == null
                                        && status.lastTargetUpdate == null
                                        && status.lastTargetSoftDelete == null
                                ? "NoChangesYet"
                                : "Fresh",
                        "the target changes within " + threshold,
                        generation,
                        now);
            } else {
                FreshnessBreach breach = breaches.get(0);
                String message =
                        "the target last changed at "
                                + PipelineStatusFields.iso(breach.lastDml())
                                + ", more than "
                                + threshold
                                + " ago (stale since "
                                + PipelineStatusFields.iso(breach.deadline())
                                + ")";
                Conditions.set(
                        status.conditions,
                        FRESH,
                        Conditions.FALSE,
                        "Stale",
                        message,
                        generation,
                        now);
                if (breach.newlyLogged()) {
                    events.warning(pipeline, "Stale", message);
                }
                // Enqueued on every finding, not only the first: the outbox keeps one alert per
                // stale DML time, and a crash between the log and the enqueue loses nothing.
                Alerts.enqueue(store, Alerts.freshnessBreach(pipeline, id, breach, message), now);
            }
        }

        Thresholds.Choice timeliness =
                Thresholds.choose(
                        pipeline.getSpec().timeliness, type.getSpec().timeliness, "timeliness");
        if (!active || timeliness.threshold().isEmpty()) {
            Conditions.set(
                    status.conditions,
                    TIMELY,
                    Conditions.UNKNOWN,
                    "NotChecked",
                    active ? timeliness.skipReason() : "the pipeline is inactive",
                    generation,
                    now);
            return;
        }
        Threshold threshold = timeliness.threshold().get();
        // An execution turns late at start + threshold. Looking back that far plus a margin of at
        // least a day (two check periods if longer) finds every execution that turned late since
        // the previous check, and one that has been stuck for up to a day when checked on demand,
        // while the query stays on the start_date index.
        Duration margin = settings.checkInterval().multipliedBy(2);
        if (margin.compareTo(TIMELINESS_MARGIN) < 0) {
            margin = TIMELINESS_MARGIN;
        }
        Instant lookbackStart = threshold.before(now).minus(margin);
        List<LateExecution> late =
                store.checks()
                        .timeliness(List.of(new CheckTarget(id, threshold)), lookbackStart, now);
        for (LateExecution execution : late) {
            String message =
                    "execution "
                            + execution.executionId()
                            + (execution.end() == null ? " is still running " : " ran ")
                            + "past "
                            + threshold
                            + " after its start at "
                            + PipelineStatusFields.iso(execution.start());
            if (execution.newlyLogged()) {
                events.warning(pipeline, "Late", message);
            }
            Alerts.enqueue(store, Alerts.timelinessBreach(pipeline, id, execution, message), now);
        }
        if (late.isEmpty()) {
            Conditions.set(
                    status.conditions,
                    TIMELY,
                    Conditions.TRUE,
                    "Timely",
                    "recent executions finish within " + threshold,
                    generation,
                    now);
        } else {
            Conditions.set(
                    status.conditions,
                    TIMELY,
                    Conditions.FALSE,
                    "Late",
                    "executions "
                            + late.stream()
                                    .map(l -> Long.toString(l.executionId()))
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + " ran past "
                            + threshold
                            + " after their start",
                    generation,
                    now);
        }
    }

    private static String annotation(Pipeline pipeline, String key) {
        Map<String, String> annotations = pipeline.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}

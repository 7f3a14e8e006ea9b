package dev.millrace.operator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineSpec;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.pipelinetype.PipelineTypeSpec;
import dev.millrace.operator.anomalyrule.AnomalyEvaluator;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusUpdates;
import dev.millrace.operator.metrics.OperatorMetrics;
import dev.millrace.store.Store;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Connection observable as a Watcher pipeline: every Connection owns a Pipeline of the same
 * name (type {@value #SYNC_PIPELINE_TYPE}, which this class creates per namespace and does not own,
 * so deleting a Connection never takes the shared type with it), and each of its sync Jobs is one
 * execution of that Pipeline. When a Job ends, the execution ends with the sync's counts; a success
 * hands the watermark over, and the Pipeline's anomaly rules judge the execution.
 *
 * <p>The Connection reconciler calls this at three points (reconcile, Job started, Job recorded);
 * everything here is idempotent, so a replayed reconcile changes nothing twice.
 */
public final class ExecutionRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRecorder.class);

    /** The PipelineType every Connection's Pipeline belongs to. */
    public static final String SYNC_PIPELINE_TYPE = "millrace-sync";

    private final Store store;
    private final Clock clock;
    private final AnomalyEvaluator anomalies;

    /**
     * @param metrics where anomalies are counted
     */
    public ExecutionRecorder(Store store, Clock clock, OperatorMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.anomalies = new AnomalyEvaluator(store, metrics);
    }

    // ---- the hooks the Connection reconciler calls ------------------------------------------
    // Recording must never fail a sync's own bookkeeping, so these log and carry on. A completion
    // that could not be recorded leaves its execution running; the timeliness check then reports
    // it late, which is the honest signal.

    /** On every reconcile of a Connection: make sure its Pipeline exists. */
    public void onReconcile(Connection connection, KubernetesClient client) {
        quietly("ensure the pipeline of", connection, () -> ensurePipeline(connection, client));
    }

    /** When a sync Job of the Connection has been created. */
    public void onJobStarted(
            Connection connection, long jobId, Instant start, KubernetesClient client) {
        quietly(
                "record the start of job " + jobId + " of",
                connection,
                () -> jobStarted(connection, jobId, start, client));
    }

    /** When the Connection reconciler has recorded how a sync Job ended. */
    public void onJobRecorded(
            Connection connection,
            JobRecord job,
            JobStatus outcome,
            Instant ended,
            JsonNode result,
            KubernetesClient client) {
        quietly(
                "record the end of job " + job.id() + " of",
                connection,
                () -> jobCompleted(connection, job, outcome, ended, result, client));
    }

    private static void quietly(String what, Connection connection, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not {} connection {}/{}: {}",
                    what,
                    connection.getMetadata().getNamespace(),
                    connection.getMetadata().getName(),
                    e.toString(),
                    e);
        }
    }

    /**
     * The Connection's own Pipeline, created (with the sync PipelineType) if missing; empty if a
     * Pipeline of that name exists that observes something else, which is then left alone.
     */
    public Optional<Pipeline> ensurePipeline(Connection connection, KubernetesClient client) {
        String ns = connection.getMetadata().getNamespace();
        String name = connection.getMetadata().getName();
        Pipeline existing = client.resources(Pipeline.class).inNamespace(ns).withName(name).get();
        if (existing == null) {
            ensureSyncType(ns, client);
            try {
                existing = client.resource(newPipeline(connection)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = client.resources(Pipeline.class).inNamespace(ns).withName(name).get();
            }
        }
        if (existing == null || !observes(existing, connection)) {
            LOG.warn(
                    "Pipeline {}/{} exists and does not observe connection {}; its syncs are not"
                            + " recorded as executions",
                    ns,
                    name,
                    name);
            return Optional.empty();
        }
        String displayName = displayName(connection);
        if (!displayName.equals(existing.getSpec().displayName)) {
            existing =
                    client.resource(existing)
                            .patch(
                                    PatchContext.of(PatchType.JSON),
                                    "[{\"op\":\"replace\",\"path\":\"/spec/displayName\",\"value\":"
                                            + Serialization.asJson(displayName)
                                            + "}]");
        }
        return Optional.of(existing);
    }

    /** Records the start of the Job's execution (once per Job). */
    public void jobStarted(
            Connection connection, long jobId, Instant start, KubernetesClient client) {
        Optional<Pipeline> pipeline = ensurePipeline(connection, client);
        if (pipeline.isEmpty()) {
            return;
        }
        long pipelineId = pipelineId(pipeline.get());
        startExecution(pipeline.get(), pipelineId, jobId, start);
        updateStatus(pipeline.get(), pipelineId, client, status -> {});
    }

    private long startExecution(Pipeline pipeline, long pipelineId, long jobId, Instant start) {
        PipelineStatus status = pipeline.getStatus();
        String watermark = status == null ? null : status.watermark;
        String next = status == null ? null : status.nextWatermark;
        return store.executions()
                .start(
                        ExecutionStart.of(pipelineId, start)
                                .forJob(jobId)
                                .withWatermarks(watermark, next));
    }

    /**
     * Ends the Job's execution as the store recorded the Job: status from its outcome, counts
     * summed over the sync result's streams. On success the Pipeline's watermark moves to its next
     * watermark, its last DML times follow the counts, load lineage turns off, and its active
     * AnomalyRules judge the execution.
     *
     * @param result the sync's JSON result, or null if it reported none
     */
    public void jobCompleted(
            Connection connection,
            JobRecord job,
            JobStatus outcome,
            Instant ended,
            JsonNode result,
            KubernetesClient client) {
        Optional<Pipeline> found = ensurePipeline(connection, client);
        if (found.isEmpty()) {
            return;
        }
        Pipeline observed = found.get();
        long pipelineId = pipelineId(observed);
        Instant now = clock.instant();
        Execution execution =
                store.executions()
                        .findByJob(job.id())
                        .orElseGet(
                                () -> {
                                    // The start was missed (operator down, or a Job from before
                                    // pipelines existed): record it from the job history.
                                    Instant start =
                                            job.startedAt() != null
                                                    ? job.startedAt()
                                                    : job.createdAt();
                                    long id = startExecution(observed, pipelineId, job.id(), start);
                                    return store.executions().find(id).orElseThrow();
                                });
        boolean succeeded = outcome == JobStatus.SUCCEEDED;
        // Job times are whole seconds while the start was taken to the microsecond: a Job that ran
        // for less than a second can report an end at or before that start.
        Instant end = ended;
        if (!end.isAfter(execution.start())) {
            end = now.isAfter(execution.start()) ? now : execution.start().plusMillis(1);
        }
        if (succeeded) {
            Counts counts = Counts.of(result);
            store.executions()
                    .end(
                            ExecutionEnd.succeeded(
                                    execution.id(),
                                    end,
                                    counts.rows(),
                                    counts.inserts(),
                                    counts.updates(),
                                    counts.deletes()));
        } else {
            store.executions().end(ExecutionEnd.failed(execution.id(), end));
        }
        if (!succeeded) {
            updateStatus(observed, pipelineId, client, status -> {});
            return;
        }
        Pipeline pipeline = observed;
        if (Boolean.TRUE.equals(pipeline.getSpec().loadLineage)) {
            pipeline =
                    client.resource(pipeline)
                            .patch(
                                    PatchContext.of(PatchType.JSON),
                                    "[{\"op\":\"replace\",\"path\":\"/spec/loadLineage\",\"value\":false}]");
        }
        List<Evaluation> evaluations =
                anomalies.evaluate(
                        pipeline,
                        pipelineId,
                        execution.id(),
                        client,
                        new EventRecorder(client, clock),
                        now);
        LOG.debug("Execution {} judged by {} anomaly rules", execution.id(), evaluations.size());
        updateStatus(
                pipeline,
                pipelineId,
                client,
                status -> {
                    if (status.nextWatermark != null) {
                        status.watermark = status.nextWatermark;
                    }
                });
    }

    /** Copies the store's view into the Pipeline status, plus what {@code change} adds. */
    private void updateStatus(
            Pipeline pipeline,
            long pipelineId,
            KubernetesClient client,
            java.util.function.Consumer<PipelineStatus> change) {
        StatusUpdates.update(
                client,
                Pipeline.class,
                pipeline.getMetadata().getNamespace(),
                pipeline.getMetadata().getName(),
                current -> {
                    PipelineStatus status =
                            current.getStatus() == null
                                    ? new PipelineStatus()
                                    : Serialization.jsonMapper()
                                            .convertValue(
                                                    current.getStatus(), PipelineStatus.class);
                    status.id = pipelineId;
                    PipelineStatusFields.copyHistory(
                            store,
                            pipelineId,
                            status,
                            current.getMetadata().getGeneration(),
                            clock.instant());
                    change.accept(status);
                    return status;
                });
    }

    private long pipelineId(Pipeline pipeline) {
        return store.idFor(
                PipelineReconciler.KIND,
                pipeline.getMetadata().getNamespace(),
                pipeline.getMetadata().getName(),
                pipeline.getMetadata().getUid());
    }

    private static boolean observes(Pipeline pipeline, Connection connection) {
        return pipeline.getSpec() != null
                && pipeline.getSpec().connectionRef != null
                && connection.getMetadata().getName().equals(pipeline.getSpec().connectionRef.name);
    }

    private static String displayName(Connection connection) {
        String name = connection.getSpec().displayName;
        return name == null || name.isBlank() ? connection.getMetadata().getName() : name;
    }

    private static Pipeline newPipeline(Connection connection) {
        Pipeline pipeline = new Pipeline();
        pipeline.setMetadata(
                new ObjectMetaBuilder()
                        .withName(connection.getMetadata().getName())
                        .withNamespace(connection.getMetadata().getNamespace())
                        .withOwnerReferences(
                                new OwnerReferenceBuilder()
                                        .withApiVersion(connection.getApiVersion())
                                        .withKind(connection.getKind())
                                        .withName(connection.getMetadata().getName())
                                        .withUid(connection.getMetadata().getUid())
                                        .withController(true)
                                        .withBlockOwnerDeletion(false)
                                        .build())
                        .build());
        PipelineSpec spec = new PipelineSpec();
        spec.displayName = displayName(connection);
        spec.pipelineTypeRef = ObjectRef.to(SYNC_PIPELINE_TYPE);
        spec.connectionRef = ObjectRef.to(connection.getMetadata().getName());
        pipeline.setSpec(spec);
        return pipeline;
    }

    private static void ensureSyncType(String ns, KubernetesClient client) {
        if (client.resources(PipelineType.class).inNamespace(ns).withName(SYNC_PIPELINE_TYPE).get()
                != null) {
            return;
        }
        PipelineType type = new PipelineType();
        type.setMetadata(
                new ObjectMetaBuilder().withName(SYNC_PIPELINE_TYPE).withNamespace(ns).build());
        type.setSpec(new PipelineTypeSpec());
        type.getSpec().displayName = SYNC_PIPELINE_TYPE;
        try {
            client.resource(type).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** A sync result's counts summed over its streams (StreamResult in the sync module). */
    record Counts(long rows, long inserts, long updates, long deletes) {
        static Counts of(JsonNode result) {
            long rows = 0;
            long inserts = 0;
            long updates = 0;
            long deletes = 0;
            if (result != null) {
                for (JsonNode stream : result.path("streams")) {
                    rows += stream.path("rowsWritten").asLong(0);
                    inserts += stream.path("inserts").asLong(0);
                    updates += stream.path("updates").asLong(0);
                    deletes += stream.path("deletes").asLong(0);
                }
            }
            return new Counts(rows, inserts, updates, deletes);
        }
    }
}

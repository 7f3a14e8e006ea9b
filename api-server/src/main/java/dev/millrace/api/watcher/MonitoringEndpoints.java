package dev.millrace.api.watcher;

import dev.millrace.crds.common.Threshold;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.store.Store;
import dev.millrace.store.check.CheckTarget;
import dev.millrace.store.check.DatePart;
import dev.millrace.store.check.FreshnessBreach;
import dev.millrace.store.check.LateExecution;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.retention.CleanupCounts;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /timeliness, /freshness, /log_cleanup and /celery/monitor-queue. The checks answer {@code
 * {"status": "queued"}} and run on a worker of this family with the store's checks, the ones the
 * operator's Pipeline reconciler runs: each breach is logged once in the store, so checking again
 * soon after alerts nothing twice. The queue is Millrace's own: the namespace's sync jobs that are
 * pending or queued, the work waiting for a Job to run it.
 */
final class MonitoringEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringEndpoints.class);
    static final int WARNING_DEPTH = 50;
    static final int CRITICAL_DEPTH = 100;
    static final int MIN_RETENTION_DAYS = 90;
    static final int DEFAULT_LOOKBACK_MINUTES = 60;
    static final int DEFAULT_BATCH_SIZE = 10_000;

    private final WatcherObjects objects;
    private final Store store;
    private final Clock clock;
    private final ExecutorService checks =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "watcher-checks");
                        t.setDaemon(true);
                        return t;
                    });

    MonitoringEndpoints(WatcherObjects objects, Clock clock) {
        this.objects = objects;
        this.store = objects.store();
        this.clock = clock;
    }

    void timeliness(Context ctx) {
        WatcherRequest request = WatcherRequest.parseOptional(ctx.body());
        Long lookback = request.integer("lookback_minutes", 5, 525_600L * 10);
        Duration window =
                Duration.ofMinutes(lookback != null ? lookback : DEFAULT_LOOKBACK_MINUTES);
        List<CheckTarget> targets =
                targets(p -> p.getSpec().timeliness, t -> t.getSpec().timeliness);
        checks.submit(
                () -> {
                    Instant now = clock.instant();
                    try {
                        List<LateExecution> late =
                                store.checks().timeliness(targets, now.minus(window), now);
                        for (LateExecution l : late) {
                            if (l.newlyLogged()) {
                                LOG.warn(
                                        "Pipeline {} execution {} is late: running {}s, past {}",
                                        l.pipelineId(),
                                        l.executionId(),
                                        l.runningSeconds(),
                                        l.threshold());
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.error("The timeliness check failed", e);
                    }
                });
        ctx.json(Map.of("status", "queued"));
    }

    void freshness(Context ctx) {
        List<CheckTarget> targets = targets(p -> p.getSpec().freshness, t -> t.getSpec().freshness);
        checks.submit(
                () -> {
                    try {
                        for (FreshnessBreach b :
                                store.checks().freshness(targets, clock.instant())) {
                            if (b.newlyLogged()) {
                                LOG.warn(
                                        "Pipeline {} is stale: last changed {}, stale since {}",
                                        b.pipelineId(),
                                        b.lastDml(),
                                        b.deadline());
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.error("The freshness check failed", e);
                    }
                });
        ctx.json(Map.of("status", "queued"));
    }

    /**
     * The active pipelines with a threshold for the check: their own, else their type's; muted ones
     * are left out (the reference's and the operator's rule).
     */
    private List<CheckTarget> targets(
            Function<Pipeline, Threshold> own, Function<PipelineType, Threshold> ofType) {
        Map<String, PipelineType> types = new LinkedHashMap<>();
        objects.types().byId().values().forEach(t -> types.put(t.getMetadata().getName(), t));
        List<CheckTarget> targets = new ArrayList<>();
        for (var entry : objects.pipelines().byId().entrySet()) {
            Pipeline p = entry.getValue();
            if (Boolean.FALSE.equals(p.getSpec().active)) {
                continue;
            }
            Threshold chosen = own.apply(p);
            if (chosen == null && p.getSpec().pipelineTypeRef != null) {
                PipelineType type = types.get(p.getSpec().pipelineTypeRef.name);
                chosen = type == null ? null : ofType.apply(type);
            }
            if (chosen == null
                    || chosen.number == null
                    || chosen.datepart == null
                    || Boolean.TRUE.equals(chosen.muted)) {
                continue;
            }
            targets.add(
                    new CheckTarget(
                            entry.getKey(),
                            new dev.millrace.store.check.Threshold(
                                    chosen.number, DatePart.valueOf(chosen.datepart.name()))));
        }
        return targets;
    }

    void logCleanup(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long retention = request.requiredInteger("retention_days", MIN_RETENTION_DAYS, 36_500);
        Long batch = request.integer("batch_size", 1, 100_000);
        Instant cutoff = clock.instant().minus(Duration.ofDays(retention));
        CleanupCounts counts =
                store.retention()
                        .deleteBefore(
                                cutoff, batch != null ? batch.intValue() : DEFAULT_BATCH_SIZE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_pipeline_executions_deleted", counts.executions());
        body.put("total_timeliness_pipeline_execution_logs_deleted", counts.timelinessLogs());
        body.put("total_anomaly_detection_results_deleted", counts.anomalyResults());
        body.put("total_pipeline_execution_closure_parent_deleted", counts.closureParentRows());
        body.put("total_pipeline_execution_closure_child_deleted", counts.closureChildRows());
        body.put("total_freshness_pipeline_logs_deleted", counts.freshnessLogs());
        ctx.json(body);
    }

    /**
     * The depth of the namespace's job queue (pending and queued sync jobs), logged as a warning
     * from {@value #WARNING_DEPTH} and as critical from {@value #CRITICAL_DEPTH} jobs.
     */
    void monitorQueue(Context ctx) {
        String namespace = objects.namespace();
        long pending;
        long queued;
        try {
            pending =
                    store.countJobs(
                            JobQuery.all().inNamespace(namespace).withStatuses(JobStatus.PENDING));
            queued =
                    store.countJobs(
                            JobQuery.all().inNamespace(namespace).withStatuses(JobStatus.QUEUED));
        } catch (RuntimeException e) {
            // The reference's error answer: the queue could not be measured.
            LOG.error("Could not measure the job queue of namespace {}", namespace, e);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", "error");
            error.put("detail", "the job queue could not be read");
            ctx.status(500).json(error);
            return;
        }
        long depth = pending + queued;
        String alert =
                depth >= CRITICAL_DEPTH ? "CRITICAL" : depth >= WARNING_DEPTH ? "WARNING" : null;
        if (alert != null) {
            LOG.warn(
                    "{}: {} sync jobs wait in namespace {} ({} pending, {} queued)",
                    alert,
                    depth,
                    namespace,
                    pending,
                    queued);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "success");
        body.put("queue_depth", depth);
        body.put("pending", pending);
        body.put("queued", queued);
        body.put("alert", alert);
        ctx.json(body);
    }

    /** Waits for the checks already queued (tests, shutdown). */
    @Override
    public void close() {
        checks.shutdown();
        try {
            checks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.millrace.operator.metrics;

import dev.millrace.store.Store;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's Prometheus metrics: JOSDK's reconcile counts, errors and durations per controller,
 * and Millrace's own sync series. Names as scraped:
 *
 * <ul>
 *   <li>{@code millrace_sync_duration_seconds{outcome}}: from a sync job's creation in the store to
 *       its end, by outcome ({@code succeeded}, {@code failed}, {@code cancelled})
 *   <li>{@code millrace_sync_rows_total}: rows synced by successful jobs
 *   <li>{@code millrace_sync_queue_depth}: jobs pending or queued, read from the store at scrape
 *       time (so every replica reports the same, leader or not)
 *   <li>{@code millrace_operator_leader}: 1 while this replica reconciles (always without leader
 *       election), 0 on a standby
 *   <li>{@code millrace_anomalies_flagged_total}: executions an AnomalyRule flagged (once per rule
 *       and execution)
 *   <li>{@code millrace_alerts_sent_total{outcome}}: alert deliveries by outcome: {@code sent},
 *       {@code retried} (an attempt failed, another follows), {@code failed} (given up on), {@code
 *       skipped} (the namespace has no notifier for it)
 * </ul>
 *
 * <p>Counters live in the replica that recorded the completion, i.e. the leader at the time; sum
 * over replicas in queries.
 */
public final class OperatorMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMetrics.class);

    private final PrometheusMeterRegistry registry;
    private final MicrometerMetrics josdk;
    private final Counter rows;
    private final Counter anomalies;

    public OperatorMetrics(Store store) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.josdk = MicrometerMetrics.withoutPerResourceMetrics(registry);
        this.rows =
                Counter.builder("millrace.sync.rows")
                        .description("Rows written by successful sync jobs")
                        .register(registry);
        this.anomalies =
                Counter.builder("millrace.anomalies.flagged")
                        .description("Executions flagged by an AnomalyRule")
                        .register(registry);
        Gauge.builder("millrace.sync.queue.depth", store, OperatorMetrics::queueDepth)
                .description("Sync jobs waiting to run (pending or queued)")
                .register(registry);
    }

    private static double queueDepth(Store store) {
        try {
            return store.countJobs(
                    JobQuery.all().withStatuses(JobStatus.PENDING, JobStatus.QUEUED));
        } catch (RuntimeException e) {
            // A scrape must not fail because the store is briefly unreachable; NaN says "unknown".
            LOG.debug("Could not count queued jobs for metrics", e);
            return Double.NaN;
        }
    }

    /** Reports whether this replica reconciles. */
    public void leadership(java.util.function.BooleanSupplier leading) {
        Gauge.builder("millrace.operator.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
                .description("1 while this replica holds the lease and reconciles")
                // Gauges hold their object weakly; nothing else holds this lambda.
                .strongReference(true)
                .register(registry);
    }

    /** For JOSDK's {@code ConfigurationServiceOverrider#withMetrics}. */
    public MicrometerMetrics josdk() {
        return josdk;
    }

    /** A sync job ended with {@code outcome}; called once per job, where the store records it. */
    public void syncCompleted(JobRecord job, JobStatus outcome, Instant ended, long rowsSynced) {
        Timer.builder("millrace.sync.duration")
                .description("Sync jobs from creation to end")
                .tag("outcome", outcome.wireName())
                .register(registry)
                .record(nonNegative(Duration.between(job.createdAt(), ended)));
        if (outcome == JobStatus.SUCCEEDED) {
            rows.increment(rowsSynced);
        }
    }

    /** An AnomalyRule flagged an execution; called once per rule and execution. */
    public void anomalyFlagged() {
        anomalies.increment();
    }

    /** One alert delivery ended with {@code outcome} (sent, retried, failed, skipped). */
    public void alertDelivered(String outcome) {
        Counter.builder("millrace.alerts.sent")
                .description("Alert deliveries by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}

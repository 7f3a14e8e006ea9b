package dev.millrace.operator.alert;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.metrics.OperatorMetrics;
import dev.millrace.store.Store;
import dev.millrace.store.alert.OutboxEntry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alert outbox: one background thread that, while this replica leads, takes due
 * alerts, reads each namespace's {@link Notifier} and POSTs the body with a timeout. A 2xx answer
 * marks the alert sent; anything else reschedules it with exponential backoff until {@link
 * AlertSettings#maxAttempts()}, then it is given up on with a Warning Event on its subject. An
 * alert whose namespace has no notifier for it when it comes due is skipped, not kept for later:
 * adding a notifier must not replay old history at its receiver.
 *
 * <p>Reconcilers never wait for this thread; a receiver that hangs costs this thread one timeout
 * per attempt and delays only the alerts behind it. Delivery is at least once: a crash between a
 * receiver's 2xx and the store's update sends that alert again, with the same {@code occurrence}.
 *
 * <p>Nothing here logs or records the receiver's URL (it carries a token): messages name the
 * namespace and the notifier type, and HTTP client errors are reduced to their class and a message
 * with the URL cut out.
 */
public final class AlertSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    private static final int BATCH = 50;

    private final KubernetesClient client;
    private final Store store;
    private final AlertSettings settings;
    private final Clock clock;
    private final OperatorMetrics metrics;
    private final BooleanSupplier leading;
    private final HttpClient http;
    private final ScheduledExecutorService thread;

    public AlertSender(
            KubernetesClient client,
            Store store,
            AlertSettings settings,
            Clock clock,
            OperatorMetrics metrics,
            BooleanSupplier leading) {
        this.client = client;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.leading = leading;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(settings.requestTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "millrace-alert-sender");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public AlertSender start() {
        thread.scheduleWithFixedDelay(
                this::deliverDueQuietly,
                0,
                settings.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void deliverDueQuietly() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // The next round tries again; a thrown exception would end the schedule for good.
            LOG.warn("Could not deliver due alerts: {}", e.toString());
        }
    }

    /** One round: every alert due now, if this replica leads. */
    void deliverDue() {
        if (!leading.getAsBoolean()) {
            return;
        }
        List<OutboxEntry> due = store.alerts().due(clock.instant(), BATCH);
        Map<String, Optional<Notifier>> notifiers = new HashMap<>();
        for (OutboxEntry entry : due) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            String ns = entry.alert().namespace();
            Optional<Notifier> notifier;
            try {
                notifier = notifiers.computeIfAbsent(ns, this::notifierOf);
            } catch (Notifier.InvalidNotifier e) {
                LOG.warn("Alerts of namespace {} cannot be sent: {}", ns, e.getMessage());
                giveUp(entry, entry.attempts(), e.getMessage());
                continue;
            }
            if (notifier.isEmpty()) {
                skip(entry, "namespace " + ns + " has no " + Notifier.SECRET + " Secret");
            } else if (!notifier.get().wants(entry.alert().event())) {
                skip(entry, "the notifier of " + ns + " does not subscribe to this event");
            } else {
                deliver(entry, notifier.get());
            }
        }
    }

    private Optional<Notifier> notifierOf(String namespace) {
        Secret secret = client.secrets().inNamespace(namespace).withName(Notifier.SECRET).get();
        return secret == null ? Optional.empty() : Optional.of(Notifier.from(secret));
    }

    private void deliver(OutboxEntry entry, Notifier notifier) {
        int attempt = entry.attempts() + 1;
        String key = entry.alert().occurrenceKey();
        String failure;
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(notifier.url())
                                    .timeout(settings.requestTimeout())
                                    .header("Content-Type", "application/json")
                                    .header("User-Agent", "millrace-operator")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    AlertBodies.of(notifier.type(), entry.alert())))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                store.alerts().sent(key, attempt, clock.instant());
                metrics.alertDelivered("sent");
                LOG.info(
                        "Alert {} sent to the {} notifier of namespace {}",
                        key,
                        notifier.type().name().toLowerCase(java.util.Locale.ROOT),
                        entry.alert().namespace());
                return;
            }
            failure = "the receiver answered HTTP " + response.statusCode();
        } catch (IOException e) {
            failure = withoutUrl(e, notifier);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt >= settings.maxAttempts()) {
            giveUp(entry, attempt, failure + " (attempt " + attempt + ")");
            return;
        }
        Duration wait = settings.backoffAfter(attempt);
        store.alerts().retryAt(key, attempt, failure, clock.instant().plus(wait));
        metrics.alertDelivered("retried");
        LOG.info(
                "Alert {} to the {} notifier of namespace {} failed on attempt {} ({}); retrying"
                        + " in {} ms",
                key,
                notifier.type().name().toLowerCase(java.util.Locale.ROOT),
                entry.alert().namespace(),
                attempt,
                failure,
                wait.toMillis());
    }

    private void skip(OutboxEntry entry, String reason) {
        store.alerts().skipped(entry.alert().occurrenceKey(), reason, clock.instant());
        metrics.alertDelivered("skipped");
        LOG.debug("Alert {} skipped: {}", entry.alert().occurrenceKey(), reason);
    }

    private void giveUp(OutboxEntry entry, int attempts, String reason) {
        Instant now = clock.instant();
        store.alerts().failed(entry.alert().occurrenceKey(), attempts, reason, now);
        metrics.alertDelivered("failed");
        LOG.warn("Gave up on alert {}: {}", entry.alert().occurrenceKey(), reason);
        subjectOf(entry)
                .ifPresent(
                        subject ->
                                new EventRecorder(client, clock)
                                        .warning(
                                                subject,
                                                "AlertNotSent",
                                                "Could not send the "
                                                        + AlertBodies.title(entry.alert().event())
                                                        + " alert: "
                                                        + reason));
    }

    private Optional<HasMetadata> subjectOf(OutboxEntry entry) {
        Class<? extends HasMetadata> type =
                switch (entry.alert().kind()) {
                    case "Connection" -> Connection.class;
                    case "Pipeline" -> Pipeline.class;
                    case "AnomalyRule" -> AnomalyRule.class;
                    default -> null;
                };
        if (type == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(
                    client.resources(type)
                            .inNamespace(entry.alert().namespace())
                            .withName(entry.alert().name())
                            .get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The exception's class and message, with the URL (and its host's address) cut out. */
    static String withoutUrl(Throwable e, Notifier notifier) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String url = notifier.url().toString();
        message = message.replace(url, "<url>");
        String path = notifier.url().getRawPath();
        if (path != null && path.length() > 1) {
            message = message.replace(path, "<path>");
        }
        String query = notifier.url().getRawQuery();
        if (query != null && !query.isEmpty()) {
            message = message.replace(query, "<query>");
        }
        return e.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(
                    settings.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("The alert sender did not stop within its request timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

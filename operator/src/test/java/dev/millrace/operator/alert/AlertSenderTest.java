package dev.millrace.operator.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineSpec;
import dev.millrace.operator.local.EmbeddedKubernetes;
import dev.millrace.operator.metrics.OperatorMetrics;
import dev.millrace.store.Store;
import dev.millrace.store.alert.Alert;
import dev.millrace.store.alert.AlertEvent;
import dev.millrace.store.alert.DeliveryStatus;
import dev.millrace.store.alert.OutboxEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The alert sender against a real HTTP receiver on loopback, the embedded Kubernetes API (for the
 * notifier Secrets and Events) and a DuckDB store: alerts are put in the outbox directly, as the
 * reconcilers do.
 */
class AlertSenderTest {
    private static final String NS = "team";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The token part of a Slack-like URL: it must never reach a log line. */
    private static final String TOKEN_PATH = "/services/T0001/B0001/s3cr3tT0k3n";

    @TempDir java.nio.file.Path tmp;
    private EmbeddedKubernetes kube;
    private KubernetesClient client;
    private Store store;
    private OperatorMetrics metrics;
    private AlertReceiver receiver;
    private AlertSender sender;
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final AtomicInteger leadershipAsked = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        kube = EmbeddedKubernetes.start(0, NS);
        client = kube.client();
        store = Store.openDuckDb(tmp.resolve("store.duckdb"));
        metrics = new OperatorMetrics(store);
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        kube.close();
        store.close();
    }

    /** Quick: every 100 ms, 1 s per request, 4 attempts 100, 200, 400 ms apart. */
    private void startSender() {
        sender =
                new AlertSender(
                                client,
                                store,
                                new AlertSettings(
                                        Duration.ofMillis(100),
                                        Duration.ofSeconds(1),
                                        4,
                                        Duration.ofMillis(100),
                                        Duration.ofMillis(400)),
                                Clock.systemUTC(),
                                metrics,
                                () -> {
                                    leadershipAsked.incrementAndGet();
                                    return leading.get();
                                })
                        .start();
    }

    private void notifier(String namespace, String type, String url, String events) {
        Map<String, String> values =
                events == null
                        ? Map.of("type", type, "url", url)
                        : Map.of("type", type, "url", url, "events", events);
        client.resource(AlertReceiver.secret(namespace, values)).create();
    }

    private static Alert failedSync(String namespace, long jobId) {
        return new Alert(
                "sync_failed:" + namespace + "/orders:" + jobId,
                AlertEvent.SYNC_FAILED,
                namespace,
                "Connection",
                "orders",
                "Sync job " + jobId + " of orders failed: <no such file> & more",
                Instant.parse("2026-11-22T08:00:00Z"),
                "{\"jobId\":" + jobId + ",\"error\":\"no such file\"}");
    }

    private static Alert anomaly(String namespace) {
        return new Alert(
                "anomaly:3:77",
                AlertEvent.ANOMALY,
                namespace,
                "Pipeline",
                "orders",
                "Pipeline orders, rule rows: total_rows = 50000.00 is outside 900.00 … 1100.00",
                Instant.parse("2026-11-22T08:00:00Z"),
                "{\"executionId\":77,\"metric\":\"total_rows\",\"value\":50000.0}");
    }

    private void enqueue(Alert alert) {
        assertThat(store.alerts().enqueue(alert, Instant.now())).isTrue();
    }

    private OutboxEntry awaitStatus(String key, DeliveryStatus status) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> store.alerts().find(key).orElseThrow(), e -> e.status() == status);
    }

    @Test
    void aReceiverAnswering500TwiceGetsTheAlertOnTheThirdTry() throws Exception {
        receiver = AlertReceiver.start(500, 500);
        notifier(NS, "webhook", receiver.url("/hooks/alerts"), null);
        startSender();

        enqueue(failedSync(NS, 42));

        OutboxEntry sent = awaitStatus("sync_failed:team/orders:42", DeliveryStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(3);
        assertThat(sent.lastError()).isNull();
        assertThat(receiver.requests()).hasSize(3);
        assertThat(receiver.requests().stream().map(AlertReceiver.Request::body).distinct())
                .hasSize(1);
        assertThat(metrics.scrape())
                .contains("millrace_alerts_sent_total{outcome=\"retried\"} 2.0")
                .contains("millrace_alerts_sent_total{outcome=\"sent\"} 1.0");
    }

    @Test
    void aWebhookGetsTheAlertAsAJsonObjectAndSlackGetsATextLine() throws Exception {
        receiver = AlertReceiver.start();
        notifier("team-a", "webhook", receiver.url("/hooks/a"), null);
        notifier("team-b", "slack", receiver.url(TOKEN_PATH), null);
        startSender();

        enqueue(failedSync("team-a", 1));
        enqueue(failedSync("team-b", 2));
        awaitStatus("sync_failed:team-a/orders:1", DeliveryStatus.SENT);
        awaitStatus("sync_failed:team-b/orders:2", DeliveryStatus.SENT);

        AlertReceiver.Request webhook =
                receiver.requests().stream()
                        .filter(r -> r.path().equals("/hooks/a"))
                        .findFirst()
                        .orElseThrow();
        assertThat(webhook.contentType()).isEqualTo("application/json");
        JsonNode object = JSON.readTree(webhook.body());
        assertThat(object.get("event").asText()).isEqualTo("sync_failed");
        assertThat(object.get("occurrence").asText()).isEqualTo("sync_failed:team-a/orders:1");
        assertThat(object.get("namespace").asText()).isEqualTo("team-a");
        assertThat(object.get("kind").asText()).isEqualTo("Connection");
        assertThat(object.get("name").asText()).isEqualTo("orders");
        assertThat(object.get("message").asText())
                .isEqualTo("Sync job 1 of orders failed: <no such file> & more");
        assertThat(object.get("occurredAt").asText()).isEqualTo("2026-11-22T08:00:00Z");
        assertThat(object.get("details").get("jobId").asLong()).isEqualTo(1);
        assertThat(object.get("details").get("error").asText()).isEqualTo("no such file");

        AlertReceiver.Request slack =
                receiver.requests().stream()
                        .filter(r -> r.path().equals(TOKEN_PATH))
                        .findFirst()
                        .orElseThrow();
        JsonNode message = JSON.readTree(slack.body());
        assertThat(message.fieldNames()).toIterable().containsExactly("text");
        assertThat(message.get("text").asText())
                .isEqualTo(
                        "*Millrace: sync failed* Connection team-b/orders\n"
                                + "Sync job 2 of orders failed: &lt;no such file&gt; &amp; more");
    }

    @Test
    void withoutTheSecretNoRequestIsMadeAndTheAlertIsSkipped() throws Exception {
        receiver = AlertReceiver.start();
        notifier("elsewhere", "webhook", receiver.url("/hooks/other"), null);
        startSender();

        enqueue(failedSync(NS, 5));

        OutboxEntry skipped = awaitStatus("sync_failed:team/orders:5", DeliveryStatus.SKIPPED);
        assertThat(skipped.lastError()).isEqualTo("namespace team has no millrace-alerts Secret");
        assertThat(skipped.attempts()).isZero();
        assertThat(receiver.requests()).isEmpty();
        assertThat(metrics.scrape())
                .contains("millrace_alerts_sent_total{outcome=\"skipped\"} 1.0");
    }

    @Test
    void eventsTheNotifierDoesNotSubscribeToAreSkipped() throws Exception {
        receiver = AlertReceiver.start();
        notifier(NS, "webhook", receiver.url("/hooks/anomalies"), "anomaly, freshness_breach");
        startSender();

        enqueue(failedSync(NS, 6));
        enqueue(anomaly(NS));

        awaitStatus("anomaly:3:77", DeliveryStatus.SENT);
        awaitStatus("sync_failed:team/orders:6", DeliveryStatus.SKIPPED);
        assertThat(receiver.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"event\":\"anomaly\""));
    }

    @Test
    void anAlertIsGivenUpOnAfterItsLastAttemptWithAnEventOnItsSubject() throws Exception {
        receiver = AlertReceiver.start(503, 503, 503, 503, 503);
        notifier(NS, "webhook", receiver.url("/hooks/down"), null);
        Pipeline pipeline = new Pipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace(NS).build());
        pipeline.setSpec(new PipelineSpec());
        pipeline.getSpec().displayName = "orders";
        pipeline.getSpec().pipelineTypeRef = ObjectRef.to("batch");
        client.resource(pipeline).create();
        startSender();

        enqueue(anomaly(NS));

        OutboxEntry failed = awaitStatus("anomaly:3:77", DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(4);
        assertThat(failed.lastError()).isEqualTo("the receiver answered HTTP 503 (attempt 4)");
        assertThat(receiver.requests()).hasSize(4);
        List<Event> events =
                await().atMost(WAIT)
                        .until(
                                () ->
                                        client
                                                .v1()
                                                .events()
                                                .inNamespace(NS)
                                                .list()
                                                .getItems()
                                                .stream()
                                                .filter(e -> "AlertNotSent".equals(e.getReason()))
                                                .toList(),
                                e -> !e.isEmpty());
        assertThat(events)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pipeline");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("orders");
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "Could not send the anomaly detected alert: the"
                                                    + " receiver answered HTTP 503 (attempt 4)");
                        });
        assertThat(metrics.scrape()).contains("millrace_alerts_sent_total{outcome=\"failed\"} 1.0");
    }

    @Test
    void aStandbyReplicaSendsNothingUntilItLeads() throws Exception {
        receiver = AlertReceiver.start();
        notifier(NS, "webhook", receiver.url("/hooks/alerts"), null);
        leading.set(false);
        startSender();

        enqueue(failedSync(NS, 9));
        int asked = leadershipAsked.get();
        await().atMost(WAIT).until(() -> leadershipAsked.get() >= asked + 3);
        assertThat(receiver.requests()).isEmpty();
        assertThat(store.alerts().find("sync_failed:team/orders:9").orElseThrow().status())
                .isEqualTo(DeliveryStatus.PENDING);

        leading.set(true);
        awaitStatus("sync_failed:team/orders:9", DeliveryStatus.SENT);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void theReceiverUrlNeverAppearsInTheLogs() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger millrace = (Logger) LoggerFactory.getLogger("dev.millrace");
        Level before = millrace.getLevel();
        millrace.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closedPort + TOKEN_PATH + "?key=s3cr3tQu3ry";
        try {
            // A receiver that fails, then hangs past the timeout, then answers; a namespace whose
            // receiver refuses connections; one whose Secret is wrong.
            receiver = AlertReceiver.start(500, AlertReceiver.HANG);
            notifier(NS, "slack", receiver.url(TOKEN_PATH), null);
            notifier("refusing", "webhook", refused, null);
            notifier("wrong", "teams", receiver.url(TOKEN_PATH), null);
            startSender();

            enqueue(failedSync(NS, 1));
            enqueue(failedSync("refusing", 2));
            enqueue(failedSync("wrong", 3));
            awaitStatus("sync_failed:team/orders:1", DeliveryStatus.SENT);
            awaitStatus("sync_failed:refusing/orders:2", DeliveryStatus.FAILED);
            OutboxEntry wrong = awaitStatus("sync_failed:wrong/orders:3", DeliveryStatus.FAILED);
            assertThat(wrong.lastError())
                    .isEqualTo(
                            "Secret wrong/millrace-alerts has type teams; expected slack or"
                                    + " webhook");
        } finally {
            root.detachAppender(logs);
            millrace.setLevel(before);
        }

        List<String> lines =
                logs.list.stream()
                        .map(
                                e ->
                                        e.getFormattedMessage()
                                                + (e.getThrowableProxy() == null
                                                        ? ""
                                                        : ThrowableProxyUtil.asString(
                                                                e.getThrowableProxy())))
                        .toList();
        assertThat(lines).anyMatch(l -> l.contains("failed on attempt 1"));
        assertThat(lines).anyMatch(l -> l.contains("sent to the slack notifier of namespace team"));
        assertThat(lines).anyMatch(l -> l.contains("Gave up on alert sync_failed:refusing"));
        assertThat(lines)
                .noneMatch(l -> l.contains("s3cr3t"))
                .noneMatch(l -> l.contains(receiver.url("")))
                .noneMatch(l -> l.contains(String.valueOf(closedPort)));
        for (OutboxEntry e : store.alerts().inNamespace("refusing")) {
            assertThat(e.lastError()).doesNotContain("s3cr3t");
        }
    }
}

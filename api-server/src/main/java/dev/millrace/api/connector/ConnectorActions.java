package dev.millrace.api.connector;

import dev.millrace.api.kube.Annotator;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.connector.ConnectorStatus;
import dev.millrace.store.Store;
import dev.millrace.store.catalog.CatalogCounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POST /api/connector/{id}/test and /refresh. Both ask the operator through its action annotations
 * ({@code millrace.dev/test}, {@code millrace.dev/refresh}), since the operator is what reaches the
 * database and owns status; a test waits for the operator's result, a refresh only starts.
 */
final class ConnectorActions {
    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Store store;
    private final Clock clock;
    private final Duration testWait;
    private final Annotator annotator;
    private final AtomicLong requests = new AtomicLong();

    ConnectorActions(
            KubernetesClient client,
            ResourceCache resources,
            Store store,
            Clock clock,
            Duration testWait) {
        this.client = client;
        this.resources = resources;
        this.store = store;
        this.clock = clock;
        this.testWait = testWait;
        this.annotator = new Annotator(client);
    }

    /**
     * Requests a test and waits up to the test wait for the operator's answer: it writes
     * status.lastTest and then removes the annotation it acted on. A test not finished by then is
     * answered 202 with status "pending"; it still runs, and GET shows nothing of it (the result is
     * in the Connector's status, {@code kubectl get connector}).
     */
    void test(Context ctx, Connector connector) {
        ConnectorRequest.emptyObject(ctx.body());
        String before = lastTestOf(connector);
        String request = clock.instant() + "#" + requests.incrementAndGet();
        // Until the cache holds the annotated copy, a copy without the annotation is the old
        // state, whose lastTest is the previous test's: a stale failure must not be answered for
        // a password just fixed.
        resources.awaitWritten(
                annotator.annotate(connector, Map.of(MillraceApi.TEST_ANNOTATION, request)));
        String ns = connector.getMetadata().getNamespace();
        String name = connector.getMetadata().getName();
        Optional<Connector> latest =
                resources.awaitState(
                        Connector.class,
                        ns,
                        name,
                        c -> c.isEmpty() || answered(c.get(), request, before),
                        testWait);
        if (latest.isEmpty()) {
            throw ConnectorApiException.notFound("The connector was deleted during its test");
        }
        if (answered(latest.get(), request, before)) {
            ctx.json(result(latest.get()));
            return;
        }
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("success", null);
        pending.put("status", "pending");
        pending.put(
                "message",
                "Connection test requested; the operator did not report a result within "
                        + testWait.toSeconds()
                        + "s");
        ctx.status(202).json(pending);
    }

    /**
     * Whether the operator has answered test request {@code request}: a result is there and either
     * the annotation it acted on is gone (or replaced) or the result changed.
     */
    private static boolean answered(Connector latest, String request, String before) {
        String now = lastTestOf(latest);
        boolean actedOn =
                !request.equals(Connectors.annotation(latest, MillraceApi.TEST_ANNOTATION));
        return now != null && (actedOn || !now.equals(before));
    }

    /**
     * Requests a metadata refresh; the counts are those of the catalog stored now (the previous
     * refresh), since the new one takes seconds to minutes.
     */
    void refresh(Context ctx, Connector connector) {
        ConnectorRequest.emptyObject(ctx.body());
        if (connector.getSpec().type == ConnectorSpec.ConnectorType.HTTP) {
            throw ConnectorApiException.badRequest(
                    "An API (http) connector has no catalog to refresh");
        }
        annotator.annotate(
                connector,
                Map.of(
                        MillraceApi.REFRESH_ANNOTATION,
                        clock.instant() + "#" + requests.incrementAndGet()));
        CatalogCounts counts = store.connectorCatalogs().counts(connector.getMetadata().getUid());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Metadata refresh initiated");
        body.put("status", "success");
        body.put("catalogCount", counts.catalogs());
        body.put("schemaCount", counts.schemas());
        body.put("tableCount", counts.tables());
        ctx.json(body);
    }

    private static String lastTestOf(Connector connector) {
        ConnectorStatus status = connector.getStatus();
        if (status == null || status.lastTest == null) {
            return null;
        }
        return ConnectorRequest.JSON.valueToTree(status.lastTest).toString();
    }

    /** The reference's success or failure body from status.lastTest. */
    private static Map<String, Object> result(Connector connector) {
        ConnectorStatus.TestResult test = connector.getStatus().lastTest;
        Map<String, Object> body = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(test.success)) {
            body.put("success", true);
            body.put("status", "success");
            body.put("message", "Connection test successful");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(
                    "connectorType",
                    ConnectorRequest.CATEGORIES.getOrDefault(
                            Connectors.typeName(connector.getSpec()), "RDBMS"));
            details.put("connectorEngine", Connectors.typeName(connector.getSpec()));
            details.put("testDuration", seconds(test.durationMs));
            details.put("testedAt", test.testedAt);
            body.put("details", details);
            return body;
        }
        String reason =
                Conditions.find(connector.getStatus().conditions, Conditions.READY)
                        .map(Condition::getReason)
                        .orElse(null);
        body.put("success", false);
        body.put("status", "error");
        body.put(
                "message",
                "Connection failed: "
                        + Objects.requireNonNullElse(
                                test.error,
                                Objects.requireNonNullElse(test.message, "unknown error")));
        body.put("error", reason != null ? words(reason) : test.message);
        return body;
    }

    private static String seconds(Long millis) {
        return millis == null ? null : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** A condition reason ({@code AuthenticationFailed}) as words ("Authentication failed"). */
    private static String words(String reason) {
        String spaced = reason.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}

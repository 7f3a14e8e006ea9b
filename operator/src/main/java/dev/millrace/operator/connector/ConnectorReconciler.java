package dev.millrace.operator.connector;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec.ConnectorType;
import dev.millrace.crds.connector.ConnectorStatus;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.kube.ActionAnnotations;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import dev.millrace.store.catalog.CatalogCounts;
import dev.millrace.store.catalog.CatalogSnapshot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests Connectors and keeps their metadata catalog in the store.
 *
 * <p>A test runs when the Connector is new or its spec changed (metadata.generation), when the
 * {@code millrace.dev/test} annotation asks, and again on a timer: every minute while unreachable
 * (a database coming up, a Secret applied after its Connector), every resync interval while
 * reachable. A catalog refresh runs on {@code millrace.dev/refresh} and after every successful test
 * that a spec change or the test annotation started; the timer's tests do not refresh, so a large
 * catalog is not re-read every few minutes. Both annotations are removed after acting, like {@code
 * millrace.dev/sync}.
 *
 * <p>Generation-aware filtering is off: adding an annotation does not bump the generation, and must
 * still wake the reconciler (DESIGN §9). The catalog lives in the store, keyed by the Connector's
 * uid; the Cleaner (a finalizer) deletes it with the Connector, so a Connector deleted while the
 * operator was down still loses its rows when the operator comes back — an informer's delete event
 * would be missed then.
 */
@ControllerConfiguration(name = "connector", generationAwareEventProcessing = false)
public class ConnectorReconciler implements Reconciler<Connector>, Cleaner<Connector> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorReconciler.class);
    static final String REACHABLE = "Reachable";
    static final String CATALOG = "CatalogRefreshed";
    static final Duration RETEST_UNREACHABLE = Duration.ofMinutes(1);

    /**
     * Tests and refreshes run here so a driver that ignores its timeout cannot hold a reconcile
     * thread past the deadline. Daemon threads: an abandoned attempt never keeps the JVM alive.
     */
    private static final ExecutorService ATTEMPTS =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "millrace-connector-check");
                        t.setDaemon(true);
                        return t;
                    });

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;
    private final ConnectionCheck check;

    public ConnectorReconciler(Store store, OperatorSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.check =
                new ConnectionCheck(
                        ATTEMPTS, settings.connectorTestTimeout(), settings.connectorFileRoot());
    }

    @Override
    public UpdateControl<Connector> reconcile(Connector connector, Context<Connector> context) {
        KubernetesClient client = context.getClient();
        Instant now = clock.instant();
        String ns = connector.getMetadata().getNamespace();
        String uid = connector.getMetadata().getUid();
        Long generation = connector.getMetadata().getGeneration();
        var events = new EventRecorder(client, clock);

        ConnectorStatus status = copy(connector.getStatus());
        status.id = store.idFor("Connector", ns, connector.getMetadata().getName(), uid);

        String testRequest = annotation(connector, MillraceApi.TEST_ANNOTATION);
        String refreshRequest = annotation(connector, MillraceApi.REFRESH_ANNOTATION);
        boolean specChanged =
                status.lastTest == null || !Objects.equals(status.observedGeneration, generation);
        boolean requested = specChanged || testRequest != null;
        boolean tested = requested || retestDue(status, now);

        Credentials credentials = Credentials.none();
        boolean reachable = Conditions.isTrue(status.conditions, REACHABLE);
        if (tested) {
            ConnectionCheck.Outcome outcome;
            try {
                credentials = Credentials.of(connector.getSpec(), ns, client);
                outcome = check.run(connector.getSpec(), credentials);
            } catch (ConnectorProblem p) {
                outcome =
                        new ConnectionCheck.Outcome(
                                false, p.reason(), "connection test failed", p.getMessage(), 0);
            }
            reachable = outcome.success();
            recordTest(connector, status, outcome, generation, now, events);
        }

        boolean refresh =
                connector.getSpec().type != ConnectorType.HTTP
                        && (refreshRequest != null || requested && reachable);
        if (refresh) {
            refresh(connector, status, reachable, credentials, client, generation, now, events);
        }

        status.observedGeneration = generation;
        new StatusWriter(client).write(connector, status);
        var annotations = new ActionAnnotations(client);
        if (testRequest != null) {
            annotations.remove(connector, MillraceApi.TEST_ANNOTATION, testRequest);
        }
        if (refreshRequest != null) {
            annotations.remove(connector, MillraceApi.REFRESH_ANNOTATION, refreshRequest);
        }
        return UpdateControl.<Connector>noUpdate()
                .rescheduleAfter(reachable ? settings.resyncInterval() : RETEST_UNREACHABLE);
    }

    @Override
    public DeleteControl cleanup(Connector connector, Context<Connector> context) {
        String uid = connector.getMetadata().getUid();
        store.connectorCatalogs().delete(uid);
        store.forget("Connector", uid);
        return DeleteControl.defaultDelete();
    }

    private boolean retestDue(ConnectorStatus status, Instant now) {
        if (status.lastTest == null || status.lastTest.testedAt == null) {
            return true;
        }
        Duration every =
                Boolean.TRUE.equals(status.lastTest.success)
                        ? settings.resyncInterval()
                        : RETEST_UNREACHABLE;
        return !Instant.parse(status.lastTest.testedAt).plus(every).isAfter(now);
    }

    private void recordTest(
            Connector connector,
            ConnectorStatus status,
            ConnectionCheck.Outcome outcome,
            Long generation,
            Instant now,
            EventRecorder events) {
        ConnectorStatus.TestResult result = new ConnectorStatus.TestResult();
        result.success = outcome.success();
        result.message = outcome.message();
        result.error = outcome.error();
        result.durationMs = outcome.durationMs();
        result.testedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
        status.lastTest = result;

        String before =
                Conditions.find(status.conditions, REACHABLE)
                        .map(Condition::getStatus)
                        .orElse(null);
        String state = outcome.success() ? Conditions.TRUE : Conditions.FALSE;
        String message = outcome.success() ? outcome.message() : outcome.error();
        Conditions.set(
                status.conditions, REACHABLE, state, outcome.reason(), message, generation, now);
        Conditions.set(
                status.conditions,
                Conditions.READY,
                state,
                outcome.success() ? "Reachable" : outcome.reason(),
                message,
                generation,
                now);
        if (!state.equals(before)) {
            if (outcome.success()) {
                events.normal(connector, "Reachable", message);
            } else {
                events.warning(connector, "Unreachable", message);
            }
        }
    }

    private void refresh(
            Connector connector,
            ConnectorStatus status,
            boolean reachable,
            Credentials tested,
            KubernetesClient client,
            Long generation,
            Instant now,
            EventRecorder events) {
        String uid = connector.getMetadata().getUid();
        Credentials credentials = tested;
        try {
            if (!reachable) {
                throw new ConnectorProblem(
                        "Unreachable",
                        "the connector is not reachable; the previous catalog is kept");
            }
            if (credentials.secret() == null) {
                credentials =
                        Credentials.of(
                                connector.getSpec(),
                                connector.getMetadata().getNamespace(),
                                client);
            }
            JdbcEndpoint endpoint =
                    JdbcEndpoint.of(
                            connector.getSpec(),
                            credentials,
                            settings.connectorFileRoot(),
                            settings.connectorTestTimeout(),
                            refreshTimeout());
            CatalogSnapshot snapshot =
                    check.within(
                            refreshTimeout(),
                            () -> {
                                try (Connection c = endpoint.open()) {
                                    return CatalogReader.read(c, connector.getSpec().type, now);
                                } catch (java.sql.SQLException e) {
                                    throw new ConnectorProblem(
                                            "RefreshFailed", ConnectionCheck.messageOf(e));
                                }
                            });
            store.connectorCatalogs().replace(uid, snapshot);
            CatalogCounts counts = store.connectorCatalogs().counts(uid);
            ConnectorStatus.MetadataCounts metadata = new ConnectorStatus.MetadataCounts();
            metadata.catalogs = counts.catalogs();
            metadata.schemas = counts.schemas();
            metadata.tables = counts.tables();
            metadata.refreshedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
            status.metadata = metadata;
            String message =
                    counts.schemas()
                            + " schemas, "
                            + counts.tables()
                            + " tables, "
                            + counts.columns()
                            + " columns";
            Conditions.set(
                    status.conditions,
                    CATALOG,
                    Conditions.TRUE,
                    "Refreshed",
                    message,
                    generation,
                    now);
            events.normal(connector, "CatalogRefreshed", message);
        } catch (ConnectorProblem p) {
            refreshFailed(
                    connector,
                    status,
                    p.reason(),
                    credentials.scrub(p.getMessage()),
                    generation,
                    now,
                    events);
        } catch (RuntimeException e) {
            // The store refused the snapshot: its transaction rolled back, the old catalog stays.
            LOG.warn("Could not store the catalog of connector {}", uid, e);
            refreshFailed(
                    connector,
                    status,
                    "StoreFailed",
                    credentials.scrub(ConnectionCheck.messageOf(e)),
                    generation,
                    now,
                    events);
        }
    }

    private void refreshFailed(
            Connector connector,
            ConnectorStatus status,
            String reason,
            String message,
            Long generation,
            Instant now,
            EventRecorder events) {
        Conditions.set(
                status.conditions, CATALOG, Conditions.FALSE, reason, message, generation, now);
        events.warning(connector, "CatalogRefreshFailed", message);
    }

    /** Reading thousands of tables takes longer than a connection test. */
    private Duration refreshTimeout() {
        return settings.connectorTestTimeout().multipliedBy(30);
    }

    private static String annotation(Connector connector, String key) {
        Map<String, String> annotations = connector.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static ConnectorStatus copy(ConnectorStatus status) {
        return status == null
                ? new ConnectorStatus()
                : Serialization.jsonMapper().convertValue(status, ConnectorStatus.class);
    }
}

package dev.millrace.operator;

import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceType;
import dev.millrace.operator.local.EmbeddedKubernetes;
import dev.millrace.operator.runner.InProcessJobRunner;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A whole Millrace control plane for tests: the embedded Kubernetes API, a DuckDB store, the
 * operator and the in-process Job runner, over folders in a temporary directory.
 *
 * <p>Waits are generous on purpose: the Fabric8 mock server (mockwebserver 7.8.0) stalls its only
 * event loop for up to 30 s when a client closes a watch while an event is being written to it
 * (WatchEventsListener#onClosed waits for a sender that needs that event loop). Tests that restart
 * the operator therefore stop it at quiet moments, and a stall costs time, not a result.
 */
final class OperatorHarness implements AutoCloseable {
    static final String NS = "default";
    static final Duration WAIT = Duration.ofMinutes(2);

    final Path root;
    final Path dataRoot;
    final Path warehouseRoot;
    final EmbeddedKubernetes kube;
    final KubernetesClient client;
    final Store store;
    private final InProcessJobRunner runner;
    private MillraceOperator operator;
    private OperatorSettings settings = settings();

    /** The alert sender of operators started from now on. */
    dev.millrace.operator.alert.AlertSettings alerts =
            dev.millrace.operator.alert.AlertSettings.defaults();

    private dev.millrace.operator.local.OwnerGarbageCollector collector;

    OperatorHarness(Path root) throws Exception {
        this.root = root;
        this.dataRoot = Files.createDirectories(root.resolve("files"));
        this.warehouseRoot = Files.createDirectories(root.resolve("warehouse"));
        this.kube = EmbeddedKubernetes.start(0, NS);
        this.client = kube.client();
        this.store = Store.openDuckDb(root.resolve("store.duckdb"));
        this.runner =
                new InProcessJobRunner(
                        client,
                        new InProcessJobRunner.Paths(dataRoot, warehouseRoot, root.resolve("logs")),
                        2,
                        Clock.systemUTC());
    }

    /** The whole control plane, running. */
    static OperatorHarness started(Path root) throws Exception {
        return started(root, settings());
    }

    /** The whole control plane, running with these operator settings. */
    static OperatorHarness started(Path root, OperatorSettings settings) throws Exception {
        OperatorHarness harness = new OperatorHarness(root);
        harness.settings = settings;
        harness.startRunner();
        harness.startGarbageCollector();
        harness.startOperator();
        return harness;
    }

    /** The whole control plane, running, with this alert sender. */
    static OperatorHarness started(
            Path root, OperatorSettings settings, dev.millrace.operator.alert.AlertSettings alerts)
            throws Exception {
        OperatorHarness harness = new OperatorHarness(root);
        harness.settings = settings;
        harness.alerts = alerts;
        harness.startRunner();
        harness.startGarbageCollector();
        harness.startOperator();
        return harness;
    }

    /** Like a cluster whose nodes run Jobs: until then, created Jobs stay pending. */
    void startRunner() {
        runner.start();
    }

    /** The garbage collector's part local mode needs (Connection → Jobs → Pods). */
    void startGarbageCollector() {
        collector = new dev.millrace.operator.local.OwnerGarbageCollector(client).start();
    }

    void startOperator() {
        startOperator(OperationsSettings.none());
    }

    /** Starts the harness's operator run this way; it is stopped with the harness. */
    MillraceOperator startOperator(OperationsSettings operations) {
        operator = newOperator(operations);
        operator.start();
        return operator;
    }

    /** Another replica on the same cluster and store, not started; the caller closes it. */
    MillraceOperator newOperator(OperationsSettings operations) {
        return new MillraceOperator(
                client,
                store,
                settings.withConnectors(Duration.ofSeconds(5), dataRoot),
                Clock.systemUTC(),
                operations,
                alerts);
    }

    void stopOperator() {
        operator.close();
        operator = null;
    }

    /** Defaults, but quick: retries after 1 s (then 2 s), progress every 300 ms. */
    static OperatorSettings settings() {
        return OperatorSettings.defaults()
                .withNamespaces(java.util.Set.of(NS))
                .withSyncJobs(
                        dev.millrace.operator.job.SyncJobPolicy.defaults()
                                .withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(2))
                                .withProgress(Duration.ofMillis(300), "127.0.0.1:0", null));
    }

    Path csvFolder(String name, Map<String, String> files) throws Exception {
        Path dir = Files.createDirectories(dataRoot.resolve(name));
        for (var e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    Source csvSource(String name, String directory) {
        Source source = new Source();
        source.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = SourceType.CSV;
        source.getSpec().files = new FileSource();
        source.getSpec().files.directory = directory;
        return client.resource(source).create();
    }

    Destination warehouse(String name) {
        Destination d = new Destination();
        d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        d.getSpec().path = "warehouse.duckdb";
        return client.resource(d).create();
    }

    Connection connection(String name, String source, String destination, Schedule schedule) {
        Connection c = new Connection();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to(source);
        c.getSpec().destinationRef = ObjectRef.to(destination);
        c.getSpec().schedule = schedule;
        return client.resource(c).create();
    }

    void requestSync(String connection, String requestId) {
        // A JSON Patch without resourceVersion, as the API server sends: it cannot lose a race
        // with the operator's status writes.
        Connection current = connection(connection);
        String add =
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1sync\",\"value\":\""
                        + requestId
                        + "\"}";
        String ops =
                current.getMetadata().getAnnotations() == null
                        ? "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                                + add
                                + "]"
                        : "[" + add + "]";
        client.resources(Connection.class)
                .inNamespace(NS)
                .withName(connection)
                .patch(PatchContext.of(PatchType.JSON), ops);
    }

    Connection connection(String name) {
        return client.resources(Connection.class).inNamespace(NS).withName(name).get();
    }

    Source source(String name) {
        return client.resources(Source.class).inNamespace(NS).withName(name).get();
    }

    List<Job> jobsOf(String connection) {
        return client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel(MillraceApi.CONNECTION_LABEL, connection)
                .list()
                .getItems();
    }

    /** Waits until the connection's last job has this status and no sync is requested. */
    Connection awaitLastJob(String connection, String status) {
        return awaitLastJob(connection, status, Long.MIN_VALUE);
    }

    /**
     * Waits until the connection's last job is newer than job {@code afterJobId} and has this
     * status: after a second sync request, the first job's status is still there until the operator
     * records the second.
     */
    Connection awaitLastJob(String connection, String status, long afterJobId) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            Connection c = connection(connection);
                            return c.getStatus() != null
                                    && c.getStatus().lastJob != null
                                    && status.equals(c.getStatus().lastJob.status)
                                    && c.getStatus().lastJob.id != null
                                    && c.getStatus().lastJob.id > afterJobId
                                    && !c.getMetadata()
                                            .getAnnotations()
                                            .containsKey(MillraceApi.SYNC_ANNOTATION);
                        });
        return connection(connection);
    }

    long warehouseCount(String sql) throws SQLException {
        try (var conn =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + warehouseRoot.resolve("warehouse.duckdb"));
                Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        // The embedded API first, as local mode does: watches closed while the mock writes to
        // them would stall it (docs/architecture.md); with it gone the rest stops at once.
        kube.close();
        if (operator != null) {
            operator.close();
        }
        if (collector != null) {
            collector.close();
        }
        runner.close();
        store.close();
    }
}

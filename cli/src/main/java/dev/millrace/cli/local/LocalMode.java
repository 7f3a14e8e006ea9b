package dev.millrace.cli.local;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.cli.apply.ManifestApplier;
import dev.millrace.crds.validation.CrdSchemaValidator;
import dev.millrace.operator.MillraceOperator;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.local.EmbeddedKubernetes;
import dev.millrace.operator.local.OwnerGarbageCollector;
import dev.millrace.operator.runner.InProcessJobRunner;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything on a laptop, no cluster: an embedded Kubernetes API with the CRDs, the operator, the
 * in-process Job runner, the API server and a DuckDB warehouse, with all state under one data
 * directory so that stopping and starting loses nothing.
 */
public final class LocalMode implements AutoCloseable {
    /** What `millrace local` was asked for. */
    public record Options(
            Path dataDir,
            String host,
            int port,
            int kubePort,
            String namespace,
            boolean examples,
            int jobParallelism,
            String version) {}

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKubernetes kube;
    private ApiServer api;
    private Store store;

    public LocalMode(Options options) {
        this.options = options;
    }

    public Path dataRoot() {
        return options.dataDir().resolve("files");
    }

    public Path warehouse() {
        return options.dataDir().resolve("warehouse.duckdb");
    }

    public Path kubeconfig() {
        return options.dataDir().resolve("kubeconfig");
    }

    public LocalMode start() throws IOException {
        Path dataDir = Files.createDirectories(options.dataDir());
        Files.createDirectories(dataRoot());
        Clock clock = Clock.systemUTC();

        kube = EmbeddedKubernetes.start(options.kubePort(), null);
        started.add(kube);
        ResourceVault vault = new ResourceVault(kube.client(), dataDir.resolve("resources"));
        vault.restore();
        // After the restore, so a workspace keeps its namespace uid (the Airbyte workspaceId).
        kube.ensureNamespace(options.namespace());
        vault.start();
        started.add(vault);
        started.add(new OwnerGarbageCollector(kube.client()).start());
        Kubeconfig.write(kubeconfig(), kube.url(), options.namespace());

        store = Store.openDuckDb(dataDir.resolve("store.duckdb"));
        started.add(store);

        InProcessJobRunner runner =
                new InProcessJobRunner(
                        kube.client(),
                        new InProcessJobRunner.Paths(dataRoot(), dataDir, dataDir.resolve("logs")),
                        options.jobParallelism(),
                        clock);
        runner.start();
        started.add(runner);

        MillraceOperator operator =
                new MillraceOperator(
                        kube.client(),
                        store,
                        OperatorSettings.defaults()
                                .withNamespaces(Set.of(options.namespace()))
                                // sqlite/duckdb Connectors resolve like the sync's files.
                                .withConnectors(Duration.ofSeconds(10), dataRoot()),
                        clock);
        operator.start();
        started.add(operator);

        api =
                new ApiServer(
                                ApiSettings.of(
                                        options.host(),
                                        options.port(),
                                        options.namespace(),
                                        options.version(),
                                        dataRoot(),
                                        dataDir),
                                kube.client(),
                                store,
                                clock)
                        .start();
        started.add(api);

        if (options.examples()) {
            applyExamples();
        }
        return this;
    }

    /** Copies the example data and applies the example manifests (validated). */
    public List<ManifestApplier.Applied> applyExamples() throws IOException {
        PackagedExamples.copyData(dataRoot());
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String manifest : PackagedExamples.manifests()) {
            objects.addAll(
                    ManifestApplier.parse(
                            new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))));
        }
        return new ManifestApplier(
                        kube.client(), CrdSchemaValidator.forMillraceCrds(), options.namespace())
                .apply(objects);
    }

    public String apiUrl() {
        return api.baseUrl();
    }

    public EmbeddedKubernetes kubernetes() {
        return kube;
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        // The embedded API goes first: a watch that a client closes while the mock server is
        // writing an event to it stalls the mock's event loop for up to 30 s (mockwebserver
        // 7.8.0). With the server gone, the informers' watches just end and everything else
        // stops at once. The store closes last, after every writer.
        List<AutoCloseable> order = new ArrayList<>();
        if (kube != null) {
            order.add(kube);
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            if (started.get(i) != kube) {
                order.add(started.get(i));
            }
        }
        for (AutoCloseable part : order) {
            try {
                part.close();
            } catch (Exception e) {
                // Keep closing the rest: a half-stopped local mode would hold the DuckDB locks.
                System.err.println("millrace: while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }
}

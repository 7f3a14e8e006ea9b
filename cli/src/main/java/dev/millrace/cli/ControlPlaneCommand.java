package dev.millrace.cli;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.auth.ApiAuth;
import dev.millrace.api.auth.AuthSettings;
import dev.millrace.operator.MillraceOperator;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "control-plane",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the operator, the API server and the store in one process against the cluster",
            "your kubeconfig (or the pod's service account) names. DuckDB allows one writer",
            "process, so this is how Millrace runs with the default DuckDB store."
        })
final class ControlPlaneCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin ClusterOptions.AuthOptions auth;

    @Option(
            names = "--port",
            defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "API server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address the API listens on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--api-namespace",
            defaultValue = "default",
            description = "Namespace the platform API serves (default: ${DEFAULT-VALUE}).")
    String apiNamespace;

    @Override
    public Integer call() throws Exception {
        AuthSettings authSettings;
        try {
            authSettings = auth.settings();
            // Before anything starts: a refused configuration must not leave anything running.
            ApiAuth.requireAuthUnlessLoopback(authSettings, bind);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        Store store = cluster.openStore();
        Clock clock = Clock.systemUTC();
        MillraceOperator operator =
                new MillraceOperator(client, store, cluster.operatorSettings(), clock);
        operator.start();
        ApiServer api =
                new ApiServer(
                                ApiSettings.of(
                                                bind,
                                                port,
                                                apiNamespace,
                                                Version.current(),
                                                cluster.dataRoot,
                                                cluster.warehouseRoot)
                                        .withAuth(authSettings),
                                client,
                                store,
                                clock)
                        .start();
        System.out.println(
                "Millrace control plane " + Version.current() + ": API on " + api.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    api.close();
                                    operator.close();
                                    store.close();
                                    client.close();
                                    stopped.countDown();
                                },
                                "millrace-shutdown"));
        stopped.await();
        return 0;
    }
}

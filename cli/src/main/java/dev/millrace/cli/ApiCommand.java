package dev.millrace.cli;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.auth.ApiAuth;
import dev.millrace.api.auth.AuthSettings;
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
        name = "api",
        mixinStandardHelpOptions = true,
        description = {
            "Runs only the API server. Use it with a PostgreSQL store (--store-url) so several",
            "replicas can serve while one operator reconciles."
        })
final class ApiCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin ClusterOptions.AuthOptions auth;

    @Option(
            names = "--port",
            defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
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
                                Clock.systemUTC())
                        .start();
        System.out.println("Millrace API " + Version.current() + " on " + api.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    api.close();
                                    store.close();
                                    client.close();
                                    stopped.countDown();
                                },
                                "millrace-shutdown"));
        stopped.await();
        return 0;
    }
}

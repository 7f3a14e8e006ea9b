package dev.millrace.cli;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = {
            "Runs only the API server. Use it with a PostgreSQL store (--store-url) so several",
            "replicas can serve while one operator reconciles."
        })
final class ApiCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin ApiOptions api;

    @Override
    public Integer call() throws Exception {
        ApiSettings settings;
        try {
            settings = api.settings(cluster);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        Store store = cluster.openStore();
        ApiServer server = new ApiServer(settings, client, store, Clock.systemUTC()).start();
        System.out.println("Millrace API " + Version.current() + " on " + server.baseUrl());
        return RunUntilStopped.await(List.of(server, store, client));
    }
}

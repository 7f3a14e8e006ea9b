package dev.millrace.cli;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.operator.MillraceOperator;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        Clock clock = Clock.systemUTC();
        MillraceOperator operator =
                new MillraceOperator(
                        client,
                        store,
                        cluster.operatorSettings(),
                        clock,
                        cluster.operationsSettings());
        operator.start();
        ApiServer server = new ApiServer(settings, client, store, clock).start();
        System.out.println(
                "Millrace control plane " + Version.current() + ": API on " + server.baseUrl());
        return RunUntilStopped.await(List.of(server, operator, store, client));
    }
}

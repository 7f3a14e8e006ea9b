package dev.millrace.cli;

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
        name = "operator",
        mixinStandardHelpOptions = true,
        description = {
            "Runs only the operator (reconcilers and Job scheduling). Use it with a PostgreSQL",
            "store (--store-url) when the API server runs as a separate Deployment."
        })
final class OperatorCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        KubernetesClient client = new KubernetesClientBuilder().build();
        Store store = cluster.openStore();
        MillraceOperator operator =
                new MillraceOperator(
                        client,
                        store,
                        cluster.operatorSettings(),
                        Clock.systemUTC(),
                        cluster.operationsSettings());
        operator.start();
        System.out.println("Millrace operator " + Version.current() + " started");
        return RunUntilStopped.await(List.of(operator, store, client));
    }
}

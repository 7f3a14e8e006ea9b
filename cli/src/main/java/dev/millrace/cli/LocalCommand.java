package dev.millrace.cli;

import dev.millrace.api.ApiSettings;
import dev.millrace.cli.local.LocalMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs all of Millrace on this machine with no cluster: an embedded Kubernetes API,",
            "the operator, an in-process Job runner, the API server and a DuckDB warehouse.",
            "All state lives in the data directory; stopping and starting loses nothing."
        })
final class LocalCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "API server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "./.millrace",
            description =
                    "Where resources, history, files and the warehouse live (default:"
                            + " ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--examples",
            description = "Copy the packaged example data and apply the example manifests.")
    boolean examples;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description =
                    "Address the API listens on (default: ${DEFAULT-VALUE}). Local mode has no"
                            + " auth: keep it on loopback.")
    String bind;

    @Option(
            names = "--kube-port",
            defaultValue = "0",
            description =
                    "Port of the embedded Kubernetes API (default: a free one; see"
                            + " <data-dir>/kubeconfig).")
    int kubePort;

    @Option(
            names = "--namespace",
            defaultValue = "default",
            description = "Namespace (workspace) to use (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--job-parallelism",
            defaultValue = "2",
            description = "Sync Jobs run at once (default: ${DEFAULT-VALUE}).")
    int jobParallelism;

    @Override
    public Integer call() throws Exception {
        if (!isLoopback(bind)) {
            System.err.println(
                    "millrace: local mode has no authentication, so it only binds to loopback"
                            + " addresses (got --bind "
                            + bind
                            + ")");
            return 2;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        LocalMode local =
                new LocalMode(
                        new LocalMode.Options(
                                dir,
                                bind,
                                port,
                                kubePort,
                                namespace,
                                examples,
                                jobParallelism,
                                Version.current()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    local.close();
                                    stopped.countDown();
                                },
                                "millrace-shutdown"));
        local.start();
        System.out.println("Millrace " + Version.current() + " is running locally.");
        System.out.println(
                "  API:             "
                        + local.apiUrl()
                        + "   (try: curl "
                        + local.apiUrl()
                        + "/api/sources)");
        System.out.println("  Warehouse:       " + local.warehouse());
        System.out.println(
                "  Data directory:  " + dir + "   (CSV sources read " + local.dataRoot() + ")");
        System.out.println(
                "  Kubernetes API:  "
                        + local.kubernetes().url()
                        + "   (kubeconfig: "
                        + local.kubeconfig()
                        + ")");
        System.out.println("  Apply manifests: millrace apply --local -f <file|dir>");
        System.out.println("Press Ctrl+C to stop.");
        stopped.await();
        return 0;
    }

    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}

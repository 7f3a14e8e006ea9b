package dev.millrace.cli;

import dev.millrace.operator.OperatorSettings;
import dev.millrace.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options shared by the commands that run against a real cluster. */
final class ClusterOptions {
    @Option(
            names = "--store",
            defaultValue = "/var/lib/millrace/store.duckdb",
            description = "DuckDB file of the history store (default: ${DEFAULT-VALUE}).")
    Path store;

    @Option(
            names = "--store-url",
            description =
                    "JDBC URL of a PostgreSQL store instead of the DuckDB file (credentials from"
                            + " MILLRACE_STORE_USER / MILLRACE_STORE_PASSWORD).")
    String storeUrl;

    @Option(
            names = "--watch-namespace",
            split = ",",
            description = "Namespaces to reconcile (comma-separated; default: all).")
    List<String> namespaces = List.of();

    @Option(
            names = "--sync-image",
            description = "Image of sync Jobs (default: the operator's own image).")
    String syncImage;

    @Option(
            names = "--image-pull-policy",
            defaultValue = "IfNotPresent",
            description = "Pull policy of sync Jobs (default: ${DEFAULT-VALUE}).")
    String imagePullPolicy;

    @Option(
            names = "--job-service-account",
            defaultValue = "millrace-sync",
            description = "Service account of sync Job pods (default: ${DEFAULT-VALUE}).")
    String jobServiceAccount;

    @Option(
            names = "--data-claim",
            description = "PVC mounted read-only at /data in sync pods (file sources).")
    String dataClaim;

    @Option(
            names = "--warehouse-claim",
            description = "PVC mounted at /warehouse in sync pods (DuckDB destinations).")
    String warehouseClaim;

    @Option(
            names = "--data-root",
            defaultValue = "/data",
            description = "Where file sources' folders are mounted (default: ${DEFAULT-VALUE}).")
    Path dataRoot;

    @Option(
            names = "--warehouse-root",
            defaultValue = "/warehouse",
            description =
                    "Where DuckDB destinations' files are mounted (default: ${DEFAULT-VALUE}).")
    Path warehouseRoot;

    Store openStore() throws java.io.IOException {
        if (storeUrl != null) {
            return Store.open(
                    storeUrl,
                    System.getenv("MILLRACE_STORE_USER"),
                    System.getenv("MILLRACE_STORE_PASSWORD"));
        }
        if (store.getParent() != null) {
            Files.createDirectories(store.getParent());
        }
        return Store.openDuckDb(store);
    }

    OperatorSettings operatorSettings() {
        OperatorSettings d = OperatorSettings.defaults();
        Set<String> ns = new LinkedHashSet<>(namespaces);
        return new OperatorSettings(
                ns,
                syncImage != null ? syncImage : d.syncImage(),
                imagePullPolicy,
                jobServiceAccount,
                d.jobTtlAfterFinished(),
                dataClaim,
                warehouseClaim,
                d.defaultJobResources(),
                d.resyncInterval());
    }
}

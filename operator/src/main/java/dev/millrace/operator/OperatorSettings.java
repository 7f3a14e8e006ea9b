package dev.millrace.operator;

import dev.millrace.operator.job.SyncJobPolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.Set;

/**
 * How the operator builds and watches sync Jobs. Defaults suit local mode; the Helm chart sets
 * these through `millrace operator` flags.
 *
 * @param namespaces namespaces to watch; empty means all namespaces
 * @param syncImage image of the sync Job container (the Millrace image itself)
 * @param imagePullPolicy pull policy of that container
 * @param jobServiceAccount service account of sync Job pods (one with no API access)
 * @param jobTtlAfterFinished how long finished Jobs are kept before Kubernetes deletes them; their
 *     history stays in the store
 * @param dataClaim PVC mounted at /data in sync pods (file sources), or null
 * @param warehouseClaim PVC mounted at /warehouse in sync pods (DuckDB and Parquet), or null
 * @param defaultJobResources container resources when a Connection sets none
 * @param resyncInterval upper bound between two reconciles of one object
 * @param syncJobs attempts, retry backoff and progress reporting of sync Jobs
 * @param connectorTestTimeout how long a Connector's connection test may take
 * @param connectorFileRoot where relative sqlite/duckdb Connector paths resolve, as the sync's data
 *     root does for Jobs
 * @param checkInterval how often every Pipeline's freshness and timeliness are checked (the {@code
 *     millrace.dev/check} annotation runs them at once)
 */
public record OperatorSettings(
        Set<String> namespaces,
        String syncImage,
        String imagePullPolicy,
        String jobServiceAccount,
        Duration jobTtlAfterFinished,
        String dataClaim,
        String warehouseClaim,
        ResourceRequirements defaultJobResources,
        Duration resyncInterval,
        SyncJobPolicy syncJobs,
        Duration connectorTestTimeout,
        java.nio.file.Path connectorFileRoot,
        Duration checkInterval) {

    /**
     * Settings with the defaults of sync Job policy, connector tests (10 s, files under /data as in
     * sync Jobs) and pipeline checks (every 5 min).
     */
    public OperatorSettings(
            Set<String> namespaces,
            String syncImage,
            String imagePullPolicy,
            String jobServiceAccount,
            Duration jobTtlAfterFinished,
            String dataClaim,
            String warehouseClaim,
            ResourceRequirements defaultJobResources,
            Duration resyncInterval) {
        this(
                namespaces,
                syncImage,
                imagePullPolicy,
                jobServiceAccount,
                jobTtlAfterFinished,
                dataClaim,
                warehouseClaim,
                defaultJobResources,
                resyncInterval,
                SyncJobPolicy.defaults(),
                Duration.ofSeconds(10),
                java.nio.file.Path.of("/data"),
                Duration.ofMinutes(5));
    }

    public static OperatorSettings defaults() {
        return new OperatorSettings(
                Set.of(),
                "ghcr.io/millrace/millrace:0.1.0",
                "IfNotPresent",
                "millrace-sync",
                Duration.ofDays(1),
                null,
                null,
                new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("250m"))
                        .addToRequests("memory", new Quantity("512Mi"))
                        .addToLimits("memory", new Quantity("1536Mi"))
                        .build(),
                Duration.ofMinutes(10));
    }

    public OperatorSettings withNamespaces(Set<String> value) {
        return new OperatorSettings(
                value,
                syncImage,
                imagePullPolicy,
                jobServiceAccount,
                jobTtlAfterFinished,
                dataClaim,
                warehouseClaim,
                defaultJobResources,
                resyncInterval,
                syncJobs,
                connectorTestTimeout,
                connectorFileRoot,
                checkInterval);
    }

    public OperatorSettings withSyncJobs(SyncJobPolicy value) {
        return new OperatorSettings(
                namespaces,
                syncImage,
                imagePullPolicy,
                jobServiceAccount,
                jobTtlAfterFinished,
                dataClaim,
                warehouseClaim,
                defaultJobResources,
                resyncInterval,
                value,
                connectorTestTimeout,
                connectorFileRoot,
                checkInterval);
    }

    public OperatorSettings withConnectors(Duration testTimeout, java.nio.file.Path fileRoot) {
        return new OperatorSettings(
                namespaces,
                syncImage,
                imagePullPolicy,
                jobServiceAccount,
                jobTtlAfterFinished,
                dataClaim,
                warehouseClaim,
                defaultJobResources,
                resyncInterval,
                syncJobs,
                testTimeout,
                fileRoot,
                checkInterval);
    }

    public OperatorSettings withCheckInterval(Duration value) {
        return new OperatorSettings(
                namespaces,
                syncImage,
                imagePullPolicy,
                jobServiceAccount,
                jobTtlAfterFinished,
                dataClaim,
                warehouseClaim,
                defaultJobResources,
                resyncInterval,
                syncJobs,
                connectorTestTimeout,
                connectorFileRoot,
                value);
    }
}

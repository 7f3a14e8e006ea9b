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
        SyncJobPolicy syncJobs) {

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
                Duration.ofMinutes(10),
                SyncJobPolicy.defaults());
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
                syncJobs);
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
                value);
    }
}

package dev.millrace.operator.job;

import dev.millrace.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a sync or model Job needs in its namespace before its pod can start: the ServiceAccount it
 * runs as and every PersistentVolumeClaim it mounts. The chart creates them in the release
 * namespace (and the account in each watched one); anywhere else a Job would be created and its pod
 * would wait forever with no word to the user, so the operator looks first and says what is
 * missing.
 *
 * <p>Only what exists is remembered, for a short while: every reconcile of every Connection asks,
 * and a healthy namespace should cost no requests; what is missing is asked again each time, so a
 * claim a user has just created is used by the next sync request.
 */
public final class JobPrerequisites {
    public static final String REASON = "JobPrerequisitesMissing";
    static final Duration REMEMBER = Duration.ofSeconds(10);

    private record Key(String kind, String namespace, String name) {}

    private final boolean onCluster;
    private final Clock clock;
    private final Map<Key, Instant> seen = new ConcurrentHashMap<>();

    public JobPrerequisites(OperatorSettings settings, Clock clock) {
        // Local mode and tests name no claims, and their Jobs run in-process, where neither the
        // account nor volumes matter.
        this.onCluster = settings.dataClaim() != null || settings.warehouseClaim() != null;
        this.clock = clock;
    }

    /**
     * What of {@code job}'s account and claims is missing in its namespace, as a sentence for a
     * person; empty when nothing is.
     */
    public Optional<String> missingFor(KubernetesClient client, Job job) {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        List<String> claims = new ArrayList<>();
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            if (volume.getPersistentVolumeClaim() != null) {
                claims.add(volume.getPersistentVolumeClaim().getClaimName());
            }
        }
        return missing(
                client, job.getMetadata().getNamespace(), pod.getServiceAccountName(), claims);
    }

    /** Like {@link #missingFor(KubernetesClient, Job)} for an account and claims. */
    public Optional<String> missing(
            KubernetesClient client, String namespace, String serviceAccount, List<String> claims) {
        if (!onCluster) {
            return Optional.empty();
        }
        List<String> absent = new ArrayList<>();
        if (serviceAccount != null
                && !exists(client, new Key("ServiceAccount", namespace, serviceAccount))) {
            absent.add("ServiceAccount " + serviceAccount);
        }
        for (String claim : claims) {
            if (!exists(client, new Key("PersistentVolumeClaim", namespace, claim))) {
                absent.add("PersistentVolumeClaim " + claim);
            }
        }
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                String.join(" and ", absent)
                        + (absent.size() == 1 ? " does" : " do")
                        + " not exist in namespace "
                        + namespace
                        + ", so a sync or model Job there cannot start. The Helm chart creates the"
                        + " sync ServiceAccount in the release namespace and in each of"
                        + " watchNamespaces, and the data and warehouse claims only in the release"
                        + " namespace: file sources and DuckDB or Parquet destinations use those"
                        + " volumes, so use them from the release namespace, or create claims with"
                        + " these names here (see docs/install.md, Namespaces).");
    }

    private boolean exists(KubernetesClient client, Key key) {
        Instant now = clock.instant();
        Instant found = seen.get(key);
        if (found != null && found.plus(REMEMBER).isAfter(now)) {
            return true;
        }
        boolean exists =
                switch (key.kind()) {
                    case "ServiceAccount" ->
                            client.serviceAccounts()
                                            .inNamespace(key.namespace())
                                            .withName(key.name())
                                            .get()
                                    != null;
                    default ->
                            client.persistentVolumeClaims()
                                            .inNamespace(key.namespace())
                                            .withName(key.name())
                                            .get()
                                    != null;
                };
        if (exists) {
            seen.put(key, now);
        } else {
            seen.remove(key);
        }
        return exists;
    }
}

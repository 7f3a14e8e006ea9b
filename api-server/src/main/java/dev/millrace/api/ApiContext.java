package dev.millrace.api;

import dev.millrace.api.kube.ResourceCache;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;

/**
 * What every API family works with: the cluster (written through {@code client}, read through
 * {@code resources}), the store, the clock and the settings.
 */
public record ApiContext(
        ApiSettings settings,
        KubernetesClient client,
        ResourceCache resources,
        Store store,
        Clock clock,
        Instant startedAt) {}

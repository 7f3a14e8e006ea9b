package dev.millrace.api;

import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;

/** What every API family works with: the cluster, the store, the clock and the settings. */
public record ApiContext(
        ApiSettings settings,
        KubernetesClient client,
        Store store,
        Clock clock,
        Instant startedAt) {}

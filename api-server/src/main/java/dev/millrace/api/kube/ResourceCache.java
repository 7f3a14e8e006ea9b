package dev.millrace.api.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server reads of Kubernetes: one informer per kind, across all namespaces, started
 * the first time the kind is read. Reads never go to the Kubernetes API, so listing a thousand
 * Sources costs a walk over memory instead of a round trip and a deserialisation of every object,
 * and the API server adds one watch per kind to the cluster's load instead of a list per request
 * (the pattern of every controller and of kubectl's own caches).
 *
 * <p>A cache lags the API by the time a watch event takes to arrive. So that a client that writes
 * and then reads sees its own write, every write path waits for the cache to catch up with the
 * object the API returned ({@link #awaitWritten}) or with a delete ({@link #awaitGone}).
 */
public final class ResourceCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceCache.class);

    /** Long enough for any healthy watch; a write never fails because its echo is late. */
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Map<Class<?>, Kind<?>> kinds = new ConcurrentHashMap<>();
    private final Object changed = new Object();

    public ResourceCache(KubernetesClient client) {
        this.client = client;
    }

    /** The objects of {@code type} in {@code namespace} (null: every namespace), by name. */
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
        List<T> items = new ArrayList<>();
        for (T item : kind(type).informer.getStore().list()) {
            if (namespace == null || namespace.equals(item.getMetadata().getNamespace())) {
                items.add(item);
            }
        }
        items.sort(
                Comparator.comparing(
                                (T r) ->
                                        Objects.requireNonNullElse(
                                                r.getMetadata().getNamespace(), ""))
                        .thenComparing(r -> r.getMetadata().getName()));
        return items;
    }

    /** The object {@code namespace/name} (namespace null for a cluster-scoped kind), if any. */
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        String key = namespace == null ? name : namespace + "/" + name;
        return Optional.ofNullable(kind(type).informer.getStore().getByKey(key));
    }

    /**
     * The object {@code namespace/name}, asking the Kubernetes API when the cache does not hold it:
     * a client that has just created an object (with kubectl, or another API) and asks for it by
     * name must not get a 404 because a watch event is still on its way. Misses are rare and cost
     * one small GET.
     */
    public <T extends HasMetadata> Optional<T> getOrFetch(
            Class<T> type, String namespace, String name) {
        Optional<T> cached = get(type, namespace, name);
        if (cached.isPresent()) {
            return cached;
        }
        return Optional.ofNullable(
                client.resources(type).inNamespace(namespace).withName(name).get());
    }

    /** The first object of {@code type} that matches, in any namespace. */
    public <T extends HasMetadata> Optional<T> find(Class<T> type, Predicate<T> matches) {
        return kind(type).informer.getStore().list().stream().filter(matches).findFirst();
    }

    /**
     * Like {@link #find}, asking the Kubernetes API when the cache holds no match, for the same
     * reason as {@link #getOrFetch}: an id a client has just been given must resolve.
     */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> findOrFetch(Class<T> type, Predicate<T> matches) {
        Optional<T> cached = find(type, matches);
        if (cached.isPresent()) {
            return cached;
        }
        List<T> live =
                type == Namespace.class
                        ? (List<T>) (List<?>) client.namespaces().list().getItems()
                        : client.resources(type).inAnyNamespace().list().getItems();
        return live.stream().filter(matches).findFirst();
    }

    /**
     * A number that changes whenever an object of {@code type} is added, changed or deleted: what a
     * response computed from this kind alone may be cached under.
     */
    public long version(Class<? extends HasMetadata> type) {
        return kind(type).version.get();
    }

    /**
     * Waits until the cache holds {@code written} (the object a create or update returned) or a
     * later version of it, so that the writer's next read sees its write.
     */
    public <T extends HasMetadata> T awaitWritten(T written) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) written.getClass();
        String version = written.getMetadata().getResourceVersion();
        awaitUntil(
                type,
                () ->
                        get(
                                        type,
                                        written.getMetadata().getNamespace(),
                                        written.getMetadata().getName())
                                .map(
                                        cached ->
                                                atLeast(
                                                        cached.getMetadata().getResourceVersion(),
                                                        version))
                                .orElse(false),
                written.getMetadata().getName());
        return written;
    }

    /** Waits until the cache no longer holds {@code namespace/name}. */
    public <T extends HasMetadata> void awaitGone(Class<T> type, String namespace, String name) {
        awaitUntil(type, () -> get(type, namespace, name).isEmpty(), name);
    }

    private void awaitUntil(
            Class<? extends HasMetadata> type,
            java.util.function.BooleanSupplier done,
            String name) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        synchronized (changed) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn(
                            "the {} cache did not catch up with a write of {} within {}",
                            type.getSimpleName(),
                            name,
                            CATCH_UP);
                    return;
                }
                try {
                    changed.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Resource versions are opaque strings by contract; the cache only ever moves forward, so
     * anything other than the written version that is numerically larger (etcd's and the mock's
     * versions are counters) is a later write.
     */
    private static boolean atLeast(String cached, String written) {
        if (Objects.equals(cached, written) || written == null) {
            return true;
        }
        try {
            return Long.parseLong(cached) > Long.parseLong(written);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Kind<T> kind(Class<T> type) {
        Kind<T> kind = (Kind<T>) kinds.get(type);
        if (kind != null) {
            return kind;
        }
        synchronized (kinds) {
            kind = (Kind<T>) kinds.get(type);
            if (kind == null) {
                AtomicLong version = new AtomicLong();
                kind = new Kind<>(start(type, version), version);
                kinds.put(type, kind);
            }
            return kind;
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> start(
            Class<T> type, AtomicLong version) {
        SharedIndexInformer<T> informer =
                type == Namespace.class
                        ? (SharedIndexInformer<T>) (Object) client.namespaces().runnableInformer(0)
                        : client.resources(type).inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(T obj) {
                        touched(version);
                    }

                    @Override
                    public void onUpdate(T oldObj, T newObj) {
                        touched(version);
                    }

                    @Override
                    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                        touched(version);
                    }
                });
        // Blocks the first reader until the kind is listed: a cold cache must not answer "none".
        informer.run();
        LOG.debug(
                "caching {} ({} objects)", type.getSimpleName(), informer.getStore().list().size());
        return informer;
    }

    private void touched(AtomicLong version) {
        version.incrementAndGet();
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (kinds) {
            kinds.values().forEach(k -> k.informer.stop());
            kinds.clear();
        }
    }

    private static final class Kind<T extends HasMetadata> {
        final SharedIndexInformer<T> informer;
        final AtomicLong version;

        Kind(SharedIndexInformer<T> informer, AtomicLong version) {
            this.informer = informer;
            this.version = version;
        }
    }
}

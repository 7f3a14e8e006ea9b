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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server reads of Kubernetes: informers per kind, started the first time the kind is
 * read, across all namespaces or, when the server is limited to some namespaces, one per namespace
 * (so a namespaced Role per namespace is all it needs). Reads never go to the Kubernetes API, so
 * listing a thousand Sources costs a walk over memory instead of a round trip and the
 * deserialisation of every object, and the API server adds one watch per kind to the cluster's load
 * instead of a list per request (the pattern of every controller and of kubectl's caches).
 *
 * <p>A cache lags the API by the time a watch event takes to arrive. So that a client that writes
 * and then reads sees its own write, every write path waits for the cache to catch up with the
 * object the API returned ({@link #awaitWritten}) or with a delete ({@link #awaitGone}); lookups by
 * name or id fall back to the API on a miss ({@link #getOrFetch}, {@link #findOrFetch}). Lists are
 * as fresh as the watch.
 */
public final class ResourceCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceCache.class);

    /** Long enough for any healthy watch; a write never fails because its echo is late. */
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
            Comparator.comparing(
                            (HasMetadata r) ->
                                    Objects.requireNonNullElse(r.getMetadata().getNamespace(), ""))
                    .thenComparing(r -> r.getMetadata().getName());

    private final KubernetesClient client;
    private final Set<String> namespaces;
    private final Map<Class<?>, Kind<?>> kinds = new ConcurrentHashMap<>();
    private final Object changed = new Object();

    /**
     * @param namespaces the namespaces to cache; empty for every namespace
     */
    public ResourceCache(KubernetesClient client, Set<String> namespaces) {
        this.client = client;
        this.namespaces = Set.copyOf(namespaces);
    }

    /** Whether objects in {@code namespace} are served at all. */
    public boolean serves(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    /**
     * The objects of {@code type} in {@code namespace} (null: every served namespace), by namespace
     * then name. Namespaces themselves are listed as far as they are served.
     */
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
        return derived(
                type,
                new ListKey(namespace),
                () -> {
                    List<T> items = new ArrayList<>();
                    for (T item : all(type)) {
                        String in =
                                type == Namespace.class ? null : item.getMetadata().getNamespace();
                        if (namespace == null || namespace.equals(in)) {
                            items.add(item);
                        }
                    }
                    items.sort(BY_NAMESPACE_AND_NAME);
                    return List.copyOf(items);
                });
    }

    /**
     * A value computed from the objects of {@code type} alone (a sorted list, an index by id),
     * computed again only after one of them changes: list endpoints are what clients poll, and
     * sorting and mapping a thousand objects per request is most of their cost. {@code key} tells
     * apart the values derived from one kind; the value must not be modified by its readers.
     */
    @SuppressWarnings("unchecked")
    public <V> V derived(Class<? extends HasMetadata> type, Object key, Supplier<V> compute) {
        Kind<?> kind = kind(type);
        // Read the version before the objects: a change in between is computed now and again
        // on the next read, never missed.
        long version = kind.version.get();
        Derived cached = kind.derived.get(key);
        if (cached != null && cached.version() == version) {
            return (V) cached.value();
        }
        V value = compute.get();
        kind.derived.put(key, new Derived(version, value));
        return value;
    }

    /** The object {@code namespace/name} (namespace null for a namespace), if cached. */
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        if (type != Namespace.class && !serves(namespace)) {
            return Optional.empty();
        }
        String key = namespace == null ? name : namespace + "/" + name;
        for (SharedIndexInformer<T> informer : kind(type).informers) {
            T item = informer.getStore().getByKey(key);
            if (item != null) {
                return type == Namespace.class && !serves(name)
                        ? Optional.empty()
                        : Optional.of(item);
            }
        }
        return Optional.empty();
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
        if (cached.isPresent() || !serves(namespace)) {
            return cached;
        }
        return Optional.ofNullable(
                client.resources(type).inNamespace(namespace).withName(name).get());
    }

    /** The first cached object of {@code type} that matches, in any served namespace. */
    public <T extends HasMetadata> Optional<T> find(Class<T> type, Predicate<T> matches) {
        return all(type).stream().filter(matches).findFirst();
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
        List<T> live = new ArrayList<>();
        if (type == Namespace.class) {
            for (Namespace n : client.namespaces().list().getItems()) {
                if (serves(n.getMetadata().getName())) {
                    live.add((T) n);
                }
            }
        } else if (namespaces.isEmpty()) {
            live.addAll(client.resources(type).inAnyNamespace().list().getItems());
        } else {
            for (String namespace : namespaces) {
                live.addAll(client.resources(type).inNamespace(namespace).list().getItems());
            }
        }
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
        String namespace = type == Namespace.class ? null : written.getMetadata().getNamespace();
        String name = written.getMetadata().getName();
        if (type == Namespace.class ? serves(name) : serves(namespace)) {
            String version = written.getMetadata().getResourceVersion();
            awaitUntil(
                    type,
                    name,
                    () ->
                            get(type, namespace, name)
                                    .map(
                                            c ->
                                                    atLeast(
                                                            c.getMetadata().getResourceVersion(),
                                                            version))
                                    .orElse(false));
        }
        return written;
    }

    /** Waits until the cache no longer holds {@code namespace/name}. */
    public <T extends HasMetadata> void awaitGone(Class<T> type, String namespace, String name) {
        awaitUntil(type, name, () -> get(type, namespace, name).isEmpty());
    }

    private void awaitUntil(Class<?> type, String name, BooleanSupplier done) {
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

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        List<T> items = new ArrayList<>();
        for (SharedIndexInformer<T> informer : kind(type).informers) {
            for (T item : informer.getStore().list()) {
                if (type != Namespace.class || serves(item.getMetadata().getName())) {
                    items.add(item);
                }
            }
        }
        return items;
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
                kind = start(type);
                kinds.put(type, kind);
            }
            return kind;
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Kind<T> start(Class<T> type) {
        AtomicLong version = new AtomicLong();
        List<SharedIndexInformer<T>> informers = new ArrayList<>();
        if (type == Namespace.class) {
            informers.add((SharedIndexInformer<T>) client.namespaces().runnableInformer(0));
        } else if (namespaces.isEmpty()) {
            informers.add(client.resources(type).inAnyNamespace().runnableInformer(0));
        } else {
            for (String namespace : namespaces) {
                informers.add(client.resources(type).inNamespace(namespace).runnableInformer(0));
            }
        }
        ResourceEventHandler<T> touched =
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
                };
        for (SharedIndexInformer<T> informer : informers) {
            informer.addEventHandler(touched);
            // Blocks the first reader until the kind is listed: a cold cache must not say "none".
            informer.run();
        }
        LOG.debug(
                "caching {} in {}",
                type.getSimpleName(),
                namespaces.isEmpty() ? "all namespaces" : namespaces);
        return new Kind<>(List.copyOf(informers), version, new ConcurrentHashMap<>());
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
            kinds.values().forEach(k -> k.informers.forEach(SharedIndexInformer::stop));
            kinds.clear();
        }
    }

    private record Kind<T extends HasMetadata>(
            List<SharedIndexInformer<T>> informers,
            AtomicLong version,
            Map<Object, Derived> derived) {}

    private record Derived(long version, Object value) {}

    private record ListKey(String namespace) {}
}

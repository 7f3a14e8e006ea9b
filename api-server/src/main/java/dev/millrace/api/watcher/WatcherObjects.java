package dev.millrace.api.watcher;

import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.common.MillraceStatus;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.validation.CrdSchemaValidator;
import dev.millrace.crds.validation.ValidationResult;
import dev.millrace.store.Store;
import dev.millrace.store.id.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.text.Normalizer;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kubernetes side of the monitoring family: the Pipelines, PipelineTypes and AnomalyRules of
 * the API's namespace, found by their store id or Watcher name through indexes kept per kind by the
 * {@link ResourceCache} (rebuilt only when the kind changes), and written with PUT and
 * resourceVersion (the mock server's merge patch is broken, DESIGN §9), retried on conflict, each
 * write waited for in the cache so the caller's next read sees it.
 */
final class WatcherObjects {
    static final String PIPELINE = "Pipeline";
    static final String PIPELINE_TYPE = "PipelineType";
    static final String ANOMALY_RULE = "AnomalyRule";

    /** When the monitoring API last changed the object (the Watcher's updated_at). */
    static final String MODIFIED_ANNOTATION = "millrace.dev/last-modified";

    private static final int MAX_SLUG = 60;
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Store store;
    private final String namespace;
    private final Clock clock;
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    WatcherObjects(
            KubernetesClient client,
            ResourceCache resources,
            Store store,
            String namespace,
            Clock clock) {
        this.client = client;
        this.resources = resources;
        this.store = store;
        this.namespace = namespace;
        this.clock = clock;
    }

    String namespace() {
        return namespace;
    }

    Store store() {
        return store;
    }

    /**
     * Objects of one kind in the namespace by id, by Watcher name (displayName, or for rules {@code
     * pipeline/metric}) and their ids by metadata.name.
     */
    record Index<T>(Map<Long, T> byId, Map<String, T> byKey, Map<String, Long> idByName) {}

    Index<Pipeline> pipelines() {
        return index(Pipeline.class, PIPELINE, p -> p.getSpec().displayName);
    }

    Index<PipelineType> types() {
        return index(PipelineType.class, PIPELINE_TYPE, t -> t.getSpec().displayName);
    }

    Index<AnomalyRule> rules() {
        return index(
                AnomalyRule.class,
                ANOMALY_RULE,
                r ->
                        ruleKey(
                                r.getSpec().pipelineRef == null
                                        ? null
                                        : r.getSpec().pipelineRef.name,
                                WatcherViews.metric(r)));
    }

    static String ruleKey(String pipelineName, String metric) {
        return pipelineName + "/" + metric;
    }

    private <T extends CustomResource<?, ? extends MillraceStatus>> Index<T> index(
            Class<T> type, String kind, Function<T, String> key) {
        return resources.derived(
                type,
                "watcher-index:" + namespace,
                () -> {
                    Map<Long, T> byId = new HashMap<>();
                    Map<String, T> byKey = new HashMap<>();
                    Map<String, Long> idByName = new HashMap<>();
                    for (T object : resources.list(type, namespace)) {
                        if (object.getSpec() == null) {
                            continue;
                        }
                        long id = idOf(object, kind);
                        byId.put(id, object);
                        idByName.put(object.getMetadata().getName(), id);
                        String k = key.apply(object);
                        if (k != null) {
                            // Two objects with one Watcher name (made with kubectl): the older.
                            byKey.merge(k, object, (a, b) -> older(a, b));
                        }
                    }
                    return new Index<>(Map.copyOf(byId), Map.copyOf(byKey), Map.copyOf(idByName));
                });
    }

    private static <T extends HasMetadata> T older(T a, T b) {
        String ca = a.getMetadata().getCreationTimestamp();
        String cb = b.getMetadata().getCreationTimestamp();
        if (ca != null && cb != null && !ca.equals(cb)) {
            return ca.compareTo(cb) <= 0 ? a : b;
        }
        return a.getMetadata().getName().compareTo(b.getMetadata().getName()) <= 0 ? a : b;
    }

    /** The object's id: from its status, or (not reconciled yet) from the store's registry. */
    long idOf(CustomResource<?, ? extends MillraceStatus> object, String kind) {
        MillraceStatus status = object.getStatus();
        if (status != null && status.id != null) {
            return status.id;
        }
        return store.idFor(
                kind,
                object.getMetadata().getNamespace(),
                object.getMetadata().getName(),
                object.getMetadata().getUid());
    }

    /** The object with {@code id}: the index, else the registry and the Kubernetes API. */
    <T extends CustomResource<?, ? extends MillraceStatus>> Optional<T> byId(
            Class<T> type, String kind, Index<T> index, long id) {
        T indexed = index.byId().get(id);
        if (indexed != null) {
            return Optional.of(indexed);
        }
        Optional<ObjectRef> ref = store.findById(kind, id);
        if (ref.isEmpty() || !ref.get().namespace().equals(namespace)) {
            return Optional.empty();
        }
        return resources
                .getOrFetch(type, namespace, ref.get().name())
                .filter(o -> ref.get().uid().equals(o.getMetadata().getUid()))
                .filter(o -> o.getSpec() != null);
    }

    Optional<Pipeline> pipeline(long id) {
        return byId(Pipeline.class, PIPELINE, pipelines(), id);
    }

    Optional<PipelineType> type(long id) {
        return byId(PipelineType.class, PIPELINE_TYPE, types(), id);
    }

    Optional<AnomalyRule> rule(long id) {
        return byId(AnomalyRule.class, ANOMALY_RULE, rules(), id);
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * Creates {@code resource} under the first free name of {@code slug}, {@code slug-2}, …, gives
     * it its id in status at once (clients use the id straight away), and returns it as cached.
     */
    <S, St extends MillraceStatus, T extends CustomResource<S, St>> T create(
            T resource, String slug, String kind, Supplier<St> newStatus) {
        resource.getMetadata().setNamespace(namespace);
        annotate(resource);
        for (int n = 1; n <= 100; n++) {
            String name = n == 1 ? slug : suffixed(slug, n);
            if (resources.getOrFetch(classOf(resource), namespace, name).isPresent()) {
                continue;
            }
            resource.getMetadata().setName(name);
            validate(resource);
            T created;
            try {
                created = client.resource(resource).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    continue;
                }
                throw refused(e);
            }
            long id = store.idFor(kind, namespace, name, created.getMetadata().getUid());
            return updateStatus(created, newStatus, status -> status.id = id);
        }
        throw WatcherApiException.conflict("no free name for '" + slug + "' in " + namespace);
    }

    /** Changes the spec (and metadata) with {@code change}, retrying on a conflicting write. */
    <T extends CustomResource<?, ?>> T updateSpec(T current, Consumer<T> change) {
        T latest = current;
        for (int attempt = 1; ; attempt++) {
            T copy = Serialization.clone(latest);
            change.accept(copy);
            annotate(copy);
            validate(copy);
            try {
                return resources.awaitWritten(client.resource(copy).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw refused(e);
                }
            }
            latest = reread(latest);
        }
    }

    /** Changes the status with {@code change}, retrying on a conflicting write. */
    <S, St extends MillraceStatus, T extends CustomResource<S, St>> T updateStatus(
            T current, Supplier<St> newStatus, Consumer<St> change) {
        T latest = current;
        for (int attempt = 1; ; attempt++) {
            T copy = Serialization.clone(latest);
            if (copy.getStatus() == null) {
                copy.setStatus(newStatus.get());
            }
            change.accept(copy.getStatus());
            try {
                return resources.awaitWritten(client.resource(copy).updateStatus());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            latest = reread(latest);
        }
    }

    private <T extends HasMetadata> T reread(T stale) {
        T latest = client.resource(stale).get();
        if (latest == null) {
            throw WatcherApiException.notFound(
                    stale.getKind() + " " + stale.getMetadata().getName() + " was deleted");
        }
        return latest;
    }

    private void annotate(HasMetadata resource) {
        if (resource.getMetadata().getAnnotations() == null) {
            resource.getMetadata().setAnnotations(new HashMap<>());
        }
        resource.getMetadata()
                .getAnnotations()
                .put(
                        MODIFIED_ANNOTATION,
                        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private void validate(HasMetadata resource) {
        ValidationResult result = validator.validate(resource);
        if (!result.isValid()) {
            throw WatcherApiException.invalid(null, result.message());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> Class<T> classOf(T resource) {
        return (Class<T>) resource.getClass();
    }

    /** A cluster's own refusal (admission) is the caller's 422, anything else passes on. */
    private static RuntimeException refused(KubernetesClientException e) {
        if (e.getCode() == 422 || e.getCode() == 400) {
            String message =
                    e.getStatus() != null && e.getStatus().getMessage() != null
                            ? e.getStatus().getMessage()
                            : e.getMessage();
            return WatcherApiException.invalid(null, message);
        }
        return e;
    }

    /** metadata.name from a Watcher name: "My Data Pipeline" becomes {@code my-data-pipeline}. */
    static String slug(String name, String fallback) {
        String ascii =
                Normalizer.normalize(name, Normalizer.Form.NFD)
                        .replaceAll("\\p{M}+", "")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        if (ascii.length() > MAX_SLUG) {
            ascii = ascii.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return ascii.isEmpty() ? fallback : ascii;
    }

    private static String suffixed(String slug, int n) {
        return slug + "-" + n;
    }
}

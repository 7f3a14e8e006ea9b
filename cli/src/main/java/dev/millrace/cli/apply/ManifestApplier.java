package dev.millrace.cli.apply;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code millrace apply -f}: validates manifests against the Millrace CRD schemas (the mock server
 * behind local mode validates nothing) and creates or updates them, reporting each object the way
 * kubectl does: created, configured or unchanged. Nothing is applied unless every document of the
 * input is valid.
 */
public final class ManifestApplier {
    public enum Outcome {
        CREATED,
        CONFIGURED,
        UNCHANGED
    }

    public record Applied(String kind, String name, Outcome outcome) {
        @Override
        public String toString() {
            String group =
                    kind.equals("Secret") || kind.equals("ConfigMap")
                            ? ""
                            : "." + MillraceApi.GROUP;
            return kind.toLowerCase(java.util.Locale.ROOT)
                    + group
                    + "/"
                    + name
                    + " "
                    + outcome.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Built-in kinds that live outside namespaces. The embedded API has no discovery documents to
     * ask, so the list is explicit; every Millrace kind is namespaced.
     */
    static final java.util.Set<String> CLUSTER_SCOPED =
            java.util.Set.of(
                    "Namespace",
                    "ClusterRole",
                    "ClusterRoleBinding",
                    "CustomResourceDefinition",
                    "PersistentVolume",
                    "StorageClass",
                    "PriorityClass",
                    "IngressClass",
                    "RuntimeClass",
                    "CSIDriver",
                    "ValidatingWebhookConfiguration",
                    "MutatingWebhookConfiguration",
                    "APIService");

    private final KubernetesClient client;
    private final CrdSchemaValidator validator;
    private final String defaultNamespace;

    public ManifestApplier(
            KubernetesClient client, CrdSchemaValidator validator, String defaultNamespace) {
        this.client = client;
        this.validator = validator;
        this.defaultNamespace = defaultNamespace;
    }

    /** Reads every *.yaml, *.yml and *.json file of a folder (sorted), or one file. */
    public static List<GenericKubernetesResource> read(Path path) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                        .sorted(Comparator.naturalOrder())
                        .forEach(files::add);
            }
        } else {
            files.add(path);
        }
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                objects.addAll(parse(in));
            }
        }
        return objects;
    }

    public static List<GenericKubernetesResource> parse(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            objects.add(Serialization.unmarshal(document, GenericKubernetesResource.class));
        }
        return objects;
    }

    /** Validates all objects first, then applies them in dependency-friendly order. */
    public List<Applied> apply(List<GenericKubernetesResource> objects) {
        List<GenericKubernetesResource> prepared = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            if (object.getMetadata() != null
                    && object.getMetadata().getNamespace() == null
                    && !CLUSTER_SCOPED.contains(object.getKind())) {
                object.getMetadata().setNamespace(defaultNamespace);
            }
            var result = validator.validate(object);
            if (!result.isValid()) {
                problems.add(result.message());
                continue;
            }
            prepared.add(validator.applyDefaults(object));
        }
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(problems);
        }
        List<Applied> applied = new ArrayList<>();
        for (GenericKubernetesResource object : prepared) {
            applied.add(applyOne(object));
        }
        return applied;
    }

    private Applied applyOne(GenericKubernetesResource desired) {
        String kind = desired.getKind();
        String name = desired.getMetadata().getName();
        GenericKubernetesResource existing =
                client.genericKubernetesResources(desired.getApiVersion(), kind)
                        .inNamespace(desired.getMetadata().getNamespace())
                        .withName(name)
                        .get();
        if (existing == null) {
            client.resource(desired).create();
            return new Applied(kind, name, Outcome.CREATED);
        }
        if (sameDesiredState(existing, desired)) {
            return new Applied(kind, name, Outcome.UNCHANGED);
        }
        GenericKubernetesResource update = Serialization.clone(existing);
        update.getMetadata().setLabels(desired.getMetadata().getLabels());
        update.getMetadata().setAnnotations(mergedAnnotations(existing, desired));
        desired.getAdditionalProperties()
                .forEach(
                        (key, value) -> {
                            if (!"status".equals(key)) {
                                update.getAdditionalProperties().put(key, value);
                            }
                        });
        client.resource(update).update();
        return new Applied(kind, name, Outcome.CONFIGURED);
    }

    /** Keeps annotations the manifest does not mention (e.g. a pending millrace.dev/sync). */
    private static java.util.Map<String, String> mergedAnnotations(
            HasMetadata existing, HasMetadata desired) {
        java.util.Map<String, String> merged = new java.util.LinkedHashMap<>();
        if (existing.getMetadata().getAnnotations() != null) {
            merged.putAll(existing.getMetadata().getAnnotations());
        }
        if (desired.getMetadata().getAnnotations() != null) {
            merged.putAll(desired.getMetadata().getAnnotations());
        }
        return merged.isEmpty() ? null : merged;
    }

    private static boolean sameDesiredState(
            GenericKubernetesResource existing, GenericKubernetesResource desired) {
        for (var entry : desired.getAdditionalProperties().entrySet()) {
            if ("status".equals(entry.getKey())) {
                continue;
            }
            Object current = existing.getAdditionalProperties().get(entry.getKey());
            if (!Objects.equals(
                    Serialization.jsonMapper().valueToTree(current),
                    Serialization.jsonMapper().valueToTree(entry.getValue()))) {
                return false;
            }
        }
        boolean labelsSame =
                Objects.equals(
                        emptyToNull(existing.getMetadata().getLabels()),
                        emptyToNull(desired.getMetadata().getLabels()));
        boolean annotationsSame =
                desired.getMetadata().getAnnotations() == null
                        || (existing.getMetadata().getAnnotations() != null
                                && existing.getMetadata()
                                        .getAnnotations()
                                        .entrySet()
                                        .containsAll(
                                                desired.getMetadata().getAnnotations().entrySet()));
        return labelsSame && annotationsSame;
    }

    private static <K, V> java.util.Map<K, V> emptyToNull(java.util.Map<K, V> map) {
        return map == null || map.isEmpty() ? null : map;
    }

    /** One or more manifests broke the schema; nothing was applied. */
    public static final class InvalidManifestException extends RuntimeException {
        private final List<String> problems;

        public InvalidManifestException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}

package dev.millrace.cli.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps local mode's resources on disk so a restart loses nothing: every object of the kinds below
 * is written to {@code <data-dir>/resources/<kind>/<namespace>/<name>.json} as it changes, and
 * recreated (same uid, so owner references and Airbyte ids hold) on the next start.
 */
public final class ResourceVault implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceVault.class);

    /** Kinds kept, in the order they are restored (referenced kinds before their users). */
    static final List<Kind> KINDS =
            List.of(
                    new Kind("v1", "Namespace"),
                    new Kind("v1", "Secret"),
                    new Kind("v1", "ConfigMap"),
                    new Kind("millrace.dev/v1alpha1", "Connector"),
                    new Kind("millrace.dev/v1alpha1", "Source"),
                    new Kind("millrace.dev/v1alpha1", "Destination"),
                    new Kind("millrace.dev/v1alpha1", "PipelineType"),
                    new Kind("millrace.dev/v1alpha1", "Pipeline"),
                    new Kind("millrace.dev/v1alpha1", "AnomalyRule"),
                    new Kind("millrace.dev/v1alpha1", "Model"),
                    new Kind("millrace.dev/v1alpha1", "Connection"),
                    new Kind("batch/v1", "Job"),
                    new Kind("v1", "Pod"));

    record Kind(String apiVersion, String kind) {}

    private final KubernetesClient client;
    private final Path root;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers =
            new ArrayList<>();

    public ResourceVault(KubernetesClient client, Path root) {
        this.client = client;
        this.root = root;
    }

    /** Recreates every kept object; returns how many. */
    public int restore() {
        int restored = 0;
        for (Kind kind : KINDS) {
            Path dir = root.resolve(kind.kind());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path file : files) {
                restored += restoreOne(file) ? 1 : 0;
            }
        }
        return restored;
    }

    private boolean restoreOne(Path file) {
        try {
            GenericKubernetesResource object =
                    Serialization.unmarshal(
                            Files.readString(file), GenericKubernetesResource.class);
            object.getMetadata().setResourceVersion(null);
            Object status = object.getAdditionalProperties().get("status");
            GenericKubernetesResource created = client.resource(object).create();
            if (status != null && created.getAdditionalProperties().get("status") == null) {
                created.getAdditionalProperties().put("status", status);
                client.resource(created).updateStatus();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            LOG.warn("Could not restore {}: {}", file, e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not restore {}: {}", file, e.getMessage());
            return false;
        }
    }

    /** From now on, writes every change through to disk. */
    public void start() {
        for (Kind kind : KINDS) {
            SharedIndexInformer<GenericKubernetesResource> informer =
                    client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                            .inAnyNamespace()
                            .inform(
                                    new ResourceEventHandler<>() {
                                        @Override
                                        public void onAdd(GenericKubernetesResource obj) {
                                            write(kind, obj);
                                        }

                                        @Override
                                        public void onUpdate(
                                                GenericKubernetesResource oldObj,
                                                GenericKubernetesResource obj) {
                                            write(kind, obj);
                                        }

                                        @Override
                                        public void onDelete(
                                                GenericKubernetesResource obj,
                                                boolean unknownFinalState) {
                                            delete(kind, obj);
                                        }
                                    });
            informers.add(informer);
        }
    }

    private Path fileOf(Kind kind, GenericKubernetesResource obj) {
        String ns =
                obj.getMetadata().getNamespace() == null
                        ? "_cluster"
                        : obj.getMetadata().getNamespace();
        return root.resolve(kind.kind()).resolve(ns).resolve(obj.getMetadata().getName() + ".json");
    }

    private synchronized void write(Kind kind, GenericKubernetesResource obj) {
        Path file = fileOf(kind, obj);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            ObjectNode json = Serialization.jsonMapper().valueToTree(obj);
            Files.writeString(
                    tmp,
                    Serialization.jsonMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(json));
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn(
                    "Could not persist {} {}: {}",
                    kind.kind(),
                    obj.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private synchronized void delete(Kind kind, GenericKubernetesResource obj) {
        try {
            Files.deleteIfExists(fileOf(kind, obj));
        } catch (IOException e) {
            LOG.warn(
                    "Could not forget {} {}: {}",
                    kind.kind(),
                    obj.getMetadata().getName(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}

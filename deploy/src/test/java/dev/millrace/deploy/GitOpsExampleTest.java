package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.cli.apply.ManifestApplier;
import dev.millrace.crds.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** examples/gitops is a project Argo CD or `kubectl apply -k` can take as it is. */
class GitOpsExampleTest {
    static final Path DIR = Path.of("..", "examples", "gitops").toAbsolutePath().normalize();

    @Test
    void everyMillraceObjectPassesTheCrdSchemas() throws Exception {
        CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();
        List<GenericKubernetesResource> objects = resources();
        assertThat(objects)
                .allSatisfy(o -> assertThat(o.getApiVersion()).isEqualTo("millrace.dev/v1alpha1"));
        for (GenericKubernetesResource object : objects) {
            object.getMetadata().setNamespace(kustomization().get("namespace").toString());
            var result = validator.validate(object);
            assertThat(result.isValid()).as(result.message()).isTrue();
        }
        assertThat(objects)
                .extracting(GenericKubernetesResource::getKind)
                .containsExactlyInAnyOrder(
                        "Connector",
                        "Destination",
                        "Source",
                        "Connection",
                        "PipelineType",
                        "Pipeline",
                        "AnomalyRule",
                        "Model");
    }

    @Test
    void kustomizationListsEveryManifestAndReferencesResolve() throws Exception {
        Set<String> listed = Set.copyOf(resourceFiles());
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(
                            files.map(p -> p.getFileName().toString())
                                    .filter(n -> n.endsWith(".yaml"))
                                    .filter(n -> !n.equals("kustomization.yaml"))
                                    .filter(n -> !n.equals("argocd-application.yaml"))
                                    .collect(Collectors.toSet()))
                    .isEqualTo(listed);
        }
        Map<String, Set<String>> names =
                resources().stream()
                        .collect(
                                Collectors.groupingBy(
                                        GenericKubernetesResource::getKind,
                                        Collectors.mapping(
                                                o -> o.getMetadata().getName(),
                                                Collectors.toSet())));
        for (GenericKubernetesResource o : resources()) {
            Map<String, Object> spec = spec(o);
            refs(spec, "sourceRef").forEach(n -> assertThat(names.get("Source")).contains(n));
            refs(spec, "destinationRef")
                    .forEach(n -> assertThat(names.get("Destination")).contains(n));
            refs(spec, "connectionRef")
                    .forEach(n -> assertThat(names.get("Connection")).contains(n));
            refs(spec, "pipelineRef").forEach(n -> assertThat(names.get("Pipeline")).contains(n));
            refs(spec, "pipelineTypeRef")
                    .forEach(n -> assertThat(names.get("PipelineType")).contains(n));
        }
    }

    @Test
    void noSecretValueIsCommitted() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (GenericKubernetesResource o : ManifestApplier.read(file)) {
                    assertThat(o.getKind()).as(file.toString()).isNotEqualTo("Secret");
                }
                assertThat(Files.readString(file)).doesNotContainPattern("(?im)^\\s*password\\s*:");
            }
        }
        GenericKubernetesResource connector =
                resources().stream()
                        .filter(o -> o.getKind().equals("Connector"))
                        .findFirst()
                        .orElseThrow();
        assertThat(spec(connector)).containsKey("secretRef");
    }

    @Test
    void argoCdApplicationDeploysThisFolderIntoTheKustomizationNamespace() throws Exception {
        GenericKubernetesResource app =
                ManifestApplier.read(DIR.resolve("argocd-application.yaml")).get(0);
        assertThat(app.getKind()).isEqualTo("Application");
        Map<String, Object> spec = spec(app);
        assertThat(((Map<?, ?>) spec.get("source")).get("path")).isEqualTo("examples/gitops");
        assertThat(((Map<?, ?>) spec.get("destination")).get("namespace"))
                .isEqualTo(kustomization().get("namespace"));
    }

    static Map<String, Object> kustomization() throws Exception {
        return Serialization.unmarshal(
                Files.readString(DIR.resolve("kustomization.yaml")), Map.class);
    }

    @SuppressWarnings("unchecked")
    static List<String> resourceFiles() throws Exception {
        return (List<String>) kustomization().get("resources");
    }

    static List<GenericKubernetesResource> resources() throws Exception {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String file : resourceFiles()) {
            objects.addAll(ManifestApplier.read(DIR.resolve(file)));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource o) {
        return (Map<String, Object>) o.getAdditionalProperties().get("spec");
    }

    static List<String> refs(Map<String, Object> spec, String field) {
        Object ref = spec.get(field);
        return ref instanceof Map<?, ?> m ? List.of(m.get("name").toString()) : List.of();
    }
}

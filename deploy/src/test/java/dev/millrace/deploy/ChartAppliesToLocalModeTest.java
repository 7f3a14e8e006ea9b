package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.cli.apply.ManifestApplier;
import dev.millrace.cli.local.LocalMode;
import dev.millrace.crds.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What `helm template` renders applies cleanly to the embedded Kubernetes API of local mode,
 * through the same validated path as `millrace apply --local`. Every kind the chart renders is one
 * the embedded API holds, so nothing is skipped.
 */
class ChartAppliesToLocalModeTest {
    static final java.util.Set<String> CLUSTER_SCOPED =
            java.util.Set.of("ClusterRole", "ClusterRoleBinding");

    @TempDir static Path dataDir;
    static LocalMode local;

    @BeforeAll
    static void start() throws Exception {
        local =
                new LocalMode(
                                new LocalMode.Options(
                                        dataDir,
                                        "127.0.0.1",
                                        0,
                                        0,
                                        Chart.NAMESPACE,
                                        false,
                                        1,
                                        "test"))
                        .start();
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "default.yaml",
                "postgresql.yaml",
                "ingress-metabase.yaml",
                "single-namespace.yaml"
            })
    void renderedChartAppliesAndReadsBack(String values) throws Exception {
        String yaml = Chart.template(values);
        List<GenericKubernetesResource> rendered = parse(yaml);
        assertThat(rendered).hasSizeGreaterThan(10);
        var client = local.kubernetes().client();
        for (GenericKubernetesResource object : clusterScoped(rendered, true)) {
            client.resource(object).createOr(existing -> existing.update());
            assertThat(
                            client.genericKubernetesResources(
                                            object.getApiVersion(), object.getKind())
                                    .withName(object.getMetadata().getName())
                                    .get())
                    .as(object.getKind() + " " + object.getMetadata().getName())
                    .isNotNull();
        }

        List<GenericKubernetesResource> objects = clusterScoped(rendered, false);
        var applier =
                new ManifestApplier(client, CrdSchemaValidator.forMillraceCrds(), Chart.NAMESPACE);
        assertThat(applier.apply(objects)).hasSameSizeAs(objects);
        for (GenericKubernetesResource object : objects) {
            var stored =
                    client.genericKubernetesResources(object.getApiVersion(), object.getKind())
                            .inNamespace(object.getMetadata().getNamespace())
                            .withName(object.getMetadata().getName())
                            .get();
            assertThat(stored)
                    .as(object.getKind() + " " + object.getMetadata().getName())
                    .isNotNull();
            assertThat(stored.getAdditionalProperties().get("spec"))
                    .isEqualTo(object.getAdditionalProperties().get("spec"));
        }
        // Applying the same render again changes nothing.
        assertThat(applier.apply(clusterScoped(parse(yaml), false)))
                .extracting(ManifestApplier.Applied::outcome)
                .containsOnly(ManifestApplier.Outcome.UNCHANGED);
    }

    static List<GenericKubernetesResource> clusterScoped(
            List<GenericKubernetesResource> objects, boolean wanted) {
        return objects.stream()
                .filter(o -> CLUSTER_SCOPED.contains(o.getKind()) == wanted)
                .toList();
    }

    static List<GenericKubernetesResource> parse(String yaml) throws java.io.IOException {
        return ManifestApplier.parse(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}

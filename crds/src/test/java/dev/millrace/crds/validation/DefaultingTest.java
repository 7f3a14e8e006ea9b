package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import dev.millrace.crds.common.ObjectRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** applyDefaults stores what a cluster stores on create. */
class DefaultingTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    @Test
    void absentFieldsGetTheirSchemaDefaultsAtEveryDepth() {
        ObjectNode manifest =
                Manifests.parse(
                        """
                        apiVersion: millrace.dev/v1alpha1
                        kind: Connection
                        metadata:
                          name: nightly
                        spec:
                          sourceRef: {name: orders}
                          destinationRef: {name: warehouse}
                          streams:
                            - name: orders
                            - name: order_lines
                              syncMode: full_refresh_overwrite
                        """);

        JsonNode spec = validator.applyDefaults(manifest).get("spec");

        assertThat(spec.get("suspend").asBoolean(true)).isFalse();
        assertThat(spec.get("allowEmptyReplace").isBoolean()).isTrue();
        assertThat(spec.at("/streams/0/syncMode").asText()).isEqualTo("incremental_append");
        assertThat(spec.at("/streams/1/syncMode").asText()).isEqualTo("full_refresh_overwrite");
        assertThat(spec.has("schedule")).isFalse();
    }

    @Test
    void defaultsInsideAnOptionalObjectApplyOnlyWhenItIsPresent() {
        ObjectNode withFiles =
                Manifests.parse(
                        """
                        apiVersion: millrace.dev/v1alpha1
                        kind: Source
                        metadata:
                          name: uploads
                        spec:
                          type: csv
                          files: {directory: uploads}
                        """);
        ObjectNode withoutFiles = withFiles.deepCopy();
        ((ObjectNode) withoutFiles.get("spec")).put("type", "rest").remove("files");

        JsonNode defaulted = validator.applyDefaults(withFiles).get("spec");
        assertThat(defaulted.at("/files/glob").asText()).isEqualTo("*.csv");
        assertThat(defaulted.at("/files/header").asBoolean(false)).isTrue();
        assertThat(defaulted.get("enabled").asBoolean(false)).isTrue();

        assertThat(validator.applyDefaults(withoutFiles).get("spec").has("files")).isFalse();
    }

    @Test
    void nullIsDroppedAndThenDefaultedLikeAnAbsentField() {
        ObjectNode manifest =
                Manifests.parse(
                        """
                        apiVersion: millrace.dev/v1alpha1
                        kind: Destination
                        metadata:
                          name: warehouse
                        spec:
                          type: duckdb
                          schemaPrefix: null
                          displayName:
                        """);

        JsonNode spec = validator.applyDefaults(manifest).get("spec");

        assertThat(spec.get("schemaPrefix").asText()).isEqualTo("raw_");
        assertThat(spec.has("displayName")).isFalse();
        assertThat(validator.validate(manifest).isValid()).isTrue();
    }

    @Test
    void theCallersObjectIsLeftAlone() {
        ObjectNode manifest = Manifests.valid("anomalyrule.yaml");
        ((ObjectNode) manifest.get("spec")).remove("lookbackDays");
        ObjectNode before = manifest.deepCopy();

        validator.applyDefaults(manifest);
        validator.validate(manifest);

        assertThat(manifest).isEqualTo(before);
    }

    @Test
    void typedResourcesComeBackAsANewDefaultedInstance() {
        AnomalyRule rule = new AnomalyRule();
        rule.setMetadata(new ObjectMetaBuilder().withName("orders-row-count").build());
        AnomalyRuleSpec spec = new AnomalyRuleSpec();
        spec.pipelineRef = ObjectRef.to("orders-nightly");
        spec.metricField = AnomalyRuleSpec.Metric.TOTAL_ROWS;
        spec.zThreshold = null;
        spec.lookbackDays = null;
        rule.setSpec(spec);

        AnomalyRule defaulted = validator.applyDefaults(rule);

        assertThat(defaulted).isNotSameAs(rule);
        assertThat(defaulted.getSpec().zThreshold).isEqualTo(3.0);
        assertThat(defaulted.getSpec().lookbackDays).isEqualTo(30);
        assertThat(rule.getSpec().zThreshold).isNull();
    }

    @Test
    void mapsAreDefaultedToo() {
        Map<String, Object> connector =
                Map.of(
                        "apiVersion",
                        "millrace.dev/v1alpha1",
                        "kind",
                        "Connector",
                        "metadata",
                        Map.of("name", "orders-db"),
                        "spec",
                        Map.of("type", "postgres", "host", "db"));

        Map<String, Object> defaulted = validator.applyDefaults(connector);

        assertThat(defaulted.get("spec"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("authType", "none")
                .containsEntry("maxConnections", 5);
    }

    @Test
    void objectsOfOtherGroupsComeBackUnchanged() {
        ObjectNode configMap =
                Manifests.parse(
                        """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: settings}
                        data: {key: null}
                        """);

        assertThat(validator.applyDefaults(configMap)).isEqualTo(configMap);
    }
}

package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.SyncMode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidManifestsTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "connector.yaml",
                "source.yaml",
                "destination.yaml",
                "connection.yaml",
                "pipelinetype.yaml",
                "pipeline.yaml",
                "anomalyrule.yaml",
                "model.yaml"
            })
    void aRealisticManifestOfEveryKindIsValid(String file) {
        ValidationResult result = validator.validate(Manifests.valid(file));

        assertThat(result.errors()).isEmpty();
        assertThat(result.isValid()).isTrue();
        assertThat(result.group()).isEqualTo("millrace.dev");
    }

    @Test
    void aTypedConnectionBuiltInJavaIsValid() {
        Connection connection = new Connection();
        connection.setMetadata(
                new ObjectMetaBuilder().withName("nightly").withNamespace("analytics").build());
        ConnectionSpec spec = new ConnectionSpec();
        spec.sourceRef = ObjectRef.to("orders");
        spec.destinationRef = ObjectRef.to("warehouse");
        ConnectionStream stream = new ConnectionStream();
        stream.name = "orders";
        stream.syncMode = SyncMode.INCREMENTAL_DEDUPED_HISTORY;
        stream.primaryKey = List.of("id");
        spec.streams = List.of(stream);
        connection.setSpec(spec);

        assertThatCode(() -> validator.validateOrThrow(connection)).doesNotThrowAnyException();
    }

    @Test
    void aGenericKubernetesResourceIsValidatedLikeItsTypedKind() {
        GenericKubernetesResource resource =
                new KubernetesSerialization()
                        .unmarshal(
                                Manifests.valid("destination.yaml").toString(),
                                GenericKubernetesResource.class);

        assertThat(validator.validate(resource).isValid()).isTrue();

        resource.setAdditionalProperty("spec", Map.of("type", "parquet"));
        assertThat(validator.validate(resource).errors())
                .extracting(FieldError::toString)
                .containsExactly(
                        "spec: Invalid value: \"object\": path is required when type is parquet");
    }

    @Test
    void objectsOfOtherApiGroupsAreNotThisValidatorsBusiness() {
        ValidationResult result =
                validator.validate(
                        Manifests.parse(
                                """
                                apiVersion: apps/v1
                                kind: Deployment
                                metadata:
                                  name: Not_A_Valid_Name
                                spec:
                                  anything: goes
                                """));

        assertThat(result.isValid()).isTrue();
    }
}

package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Schema features no Millrace kind uses today, checked on a test CRD (Widget) so that adding one to
 * an API type keeps local mode and a cluster in agreement.
 */
class SchemaFeaturesTest {
    private final CustomResourceDefinition widgets = widgetCrd();
    private final CrdSchemaValidator validator = new CrdSchemaValidator(List.of(widgets));

    private static CustomResourceDefinition widgetCrd() {
        InputStream in =
                SchemaFeaturesTest.class.getResourceAsStream("/crds/widgets.example.dev.yaml");
        return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }

    private JSONSchemaProps widgetSpecSchema() {
        return widgets.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
    }

    private List<String> errorsOfSpec(String spec) {
        ObjectNode widget =
                Manifests.parse(
                        """
                        apiVersion: example.dev/v1
                        kind: Widget
                        metadata: {name: gear}
                        spec: %s
                        """
                                .formatted(spec));
        return validator.validate(widget).errors().stream().map(FieldError::toString).toList();
    }

    @Test
    void exclusiveMinimumSaysGreaterThan() {
        assertThat(errorsOfSpec("{size: 1, ratio: 0}"))
                .containsExactly(
                        "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than"
                                + " 0");
    }

    @Test
    void nullableFieldsKeepTheirNull() {
        assertThat(errorsOfSpec("{size: 1, note: null}")).isEmpty();
        ObjectNode widget =
                Manifests.parse(
                        "{apiVersion: example.dev/v1, kind: Widget, metadata: {name: gear},"
                                + " spec: {size: 1, note: null}}");
        assertThat(validator.applyDefaults(widget).at("/spec/note").isNull()).isTrue();
    }

    @Test
    void repeatedItemsOfAListTypeSetAreDuplicatesByIndex() {
        assertThat(errorsOfSpec("{size: 1, tags: [red, blue, red]}"))
                .containsExactly("spec.tags[2]: Duplicate value: \"red\"");
    }

    @Test
    void messageExpressionAndFieldPathShapeTheError() {
        assertThat(errorsOfSpec("{size: 1, replicas: 5, maxReplicas: 3}"))
                .containsExactly(
                        "spec.replicas: Invalid value: \"object\": replicas (5) exceeds"
                                + " maxReplicas (3)");
    }

    @Test
    void reasonForbiddenGivesAForbiddenError() {
        assertThat(errorsOfSpec("{size: 1, mode: legacy}"))
                .containsExactly("spec.mode: Forbidden: legacy mode is gone");
    }

    @Test
    void aRuleWithoutMessageQuotesTheRule() {
        assertThat(errorsOfSpec("{size: 1, ratio: 1.5}"))
                .containsExactly(
                        "spec: Invalid value: \"object\": failed rule: !has(self.ratio) ||"
                                + " self.ratio < 1");
    }

    @Test
    void aRuleReadingAnAbsentFieldFailsWithCelsNoSuchKey() {
        assertThat(errorsOfSpec("{}"))
                .containsExactly(
                        "spec.size: Required value",
                        "spec: Invalid value: \"object\": no such key: size evaluating rule: size"
                                + " must be positive");
    }

    @Test
    void transitionRulesAreSkippedOnCreateLikeTheApiServerDoes() {
        assertThat(errorsOfSpec("{size: 1}")).isEmpty();
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedWhenTheCrdIsLoaded() {
        widgetSpecSchema().getXKubernetesValidations().add(new ValidationRule());
        widgetSpecSchema().getXKubernetesValidations().get(5).setRule("self.size >");

        assertThatThrownBy(() -> new CrdSchemaValidator(List.of(widgets)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("widgets.example.dev v1")
                .hasMessageContaining("CEL rule at spec does not compile: self.size >");
    }

    @Test
    void aFormatTheValidatorCannotEnforceIsRefusedWhenTheCrdIsLoaded() {
        widgetSpecSchema().getProperties().get("note").setFormat("date-time");

        assertThatThrownBy(() -> new CrdSchemaValidator(List.of(widgets)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not enforce format: date-time (at spec.note)");
    }
}

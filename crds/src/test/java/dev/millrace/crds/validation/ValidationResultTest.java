package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The whole result reads like the API server's 422 message. */
class ValidationResultTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    private static final String NIGHTLY_WITHOUT_SOURCE_AND_WITH_BAD_MODE =
            """
            apiVersion: millrace.dev/v1alpha1
            kind: Connection
            metadata:
              name: nightly
            spec:
              destinationRef: {name: warehouse}
              streams:
                - name: orders
                  syncMode: x
            """;

    @Test
    void severalErrorsAreListedInBracketsAfterTheQualifiedKindAndName() {
        ValidationResult result =
                validator.validate(Manifests.parse(NIGHTLY_WITHOUT_SOURCE_AND_WITH_BAD_MODE));

        assertThat(result.qualifiedKind()).isEqualTo("Connection.millrace.dev");
        assertThat(result.name()).isEqualTo("nightly");
        assertThat(result.message())
                .isEqualTo(
                        "Connection.millrace.dev \"nightly\" is invalid: [spec.sourceRef: Required"
                            + " value, spec.streams[0].syncMode: Unsupported value: \"x\":"
                            + " supported values: \"full_refresh_append\","
                            + " \"full_refresh_overwrite\", \"incremental_append\","
                            + " \"incremental_deduped_history\", <nil>: Invalid value: \"null\":"
                            + " some validation rules were not checked because the object was"
                            + " invalid; correct the existing errors to complete validation]");
    }

    @Test
    void aSingleErrorIsNotBracketed() {
        ValidationResult result =
                validator.validate(
                        Manifests.parse(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Model
                                metadata:
                                  name: daily-revenue
                                spec:
                                  sql: select 1
                                """));

        assertThat(result.message())
                .isEqualTo(
                        "Model.millrace.dev \"daily-revenue\" is invalid: spec.destinationRef:"
                                + " Required value");
    }

    @Test
    void validateOrThrowCarriesTheResult() {
        ObjectNode manifest = Manifests.parse(NIGHTLY_WITHOUT_SOURCE_AND_WITH_BAD_MODE);

        assertThatThrownBy(() -> validator.validateOrThrow(manifest))
                .isInstanceOf(CrdValidationException.class)
                .hasMessageStartingWith("Connection.millrace.dev \"nightly\" is invalid: [")
                .satisfies(
                        e ->
                                assertThat(((CrdValidationException) e).result().errors())
                                        .extracting(FieldError::path)
                                        .containsExactly(
                                                "spec.sourceRef", "spec.streams[0].syncMode", ""));
    }

    @Test
    void anUnknownKindOfTheMillraceGroupIsAnError() {
        ValidationResult result =
                validator.validate(
                        Manifests.parse(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Warehouse
                                metadata: {name: main}
                                """));

        assertThat(result.message())
                .isEqualTo(
                        "Warehouse.millrace.dev \"main\" is invalid: kind: Unsupported value:"
                            + " \"Warehouse\": supported values: \"AnomalyRule\", \"Connection\","
                            + " \"Connector\", \"Destination\", \"Model\", \"Pipeline\","
                            + " \"PipelineType\", \"Source\"");
    }

    @Test
    void anUnservedVersionOfAKnownKindIsAnError() {
        ValidationResult result =
                validator.validate(
                        Manifests.parse(
                                """
                                apiVersion: millrace.dev/v1
                                kind: Model
                                metadata: {name: daily-revenue}
                                """));

        assertThat(result.errors())
                .extracting(FieldError::toString)
                .containsExactly(
                        "apiVersion: Unsupported value: \"millrace.dev/v1\": supported values:"
                                + " \"millrace.dev/v1alpha1\"");
    }

    @Test
    void theValidatorAnswersForTheMillraceGroup() {
        assertThat(validator.groups()).containsExactly("millrace.dev");
    }
}

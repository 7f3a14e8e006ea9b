package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each schema mistake gets the message a kube-apiserver gives for the same manifest. */
class SchemaErrorMessagesTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    private List<String> errorsOf(String manifest) {
        return validator.validate(Manifests.parse(manifest)).errors().stream()
                .map(FieldError::toString)
                .toList();
    }

    @Test
    void unsupportedSyncModeNamesTheFieldAndTheSupportedValues() {
        assertThat(
                        errorsOf(
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
                                      syncMode: x
                                """))
                .contains(
                        "spec.streams[0].syncMode: Unsupported value: \"x\": supported values:"
                                + " \"full_refresh_append\", \"full_refresh_overwrite\","
                                + " \"incremental_append\", \"incremental_deduped_history\"");
    }

    @Test
    void missingSourceRefIsARequiredValue() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connection
                                metadata:
                                  name: nightly
                                spec:
                                  destinationRef: {name: warehouse}
                                """))
                .containsExactly("spec.sourceRef: Required value");
    }

    @Test
    void basicTimingOutsideItsPatternQuotesThePattern() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connection
                                metadata:
                                  name: nightly
                                spec:
                                  sourceRef: {name: orders}
                                  destinationRef: {name: warehouse}
                                  schedule:
                                    scheduleType: basic
                                    basicTiming: every_0_hours
                                """))
                .containsExactly(
                        "spec.schedule.basicTiming: Invalid value: \"every_0_hours\":"
                            + " spec.schedule.basicTiming in body should match"
                            + " '^every_([1-9]|[1-9][0-9]|[1-6][0-9][0-9]|7[0-1][0-9]|720)_hours$'");
    }

    @Test
    void zThresholdAboveTenNamesTheMaximum() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: AnomalyRule
                                metadata:
                                  name: orders-row-count
                                spec:
                                  pipelineRef: {name: orders-nightly}
                                  metricField: total_rows
                                  zThreshold: 11
                                """))
                .containsExactly(
                        "spec.zThreshold: Invalid value: 11: spec.zThreshold in body should be"
                                + " less than or equal to 10");
    }

    @Test
    void lookbackDaysBelowOneNamesTheMinimum() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: AnomalyRule
                                metadata:
                                  name: orders-row-count
                                spec:
                                  pipelineRef: {name: orders-nightly}
                                  metricField: total_rows
                                  lookbackDays: 0
                                """))
                .containsExactly(
                        "spec.lookbackDays: Invalid value: 0: spec.lookbackDays in body should be"
                                + " greater than or equal to 1");
    }

    @Test
    void displayNameOverItsMaximumLengthIsTooLong() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Destination
                                metadata:
                                  name: warehouse
                                spec:
                                  type: duckdb
                                  displayName: %s
                                """
                                        .formatted("w".repeat(151))))
                .containsExactly("spec.displayName: Too long: may not be more than 150 bytes");
    }

    @Test
    void emptyHostIsShorterThanItsMinimumLength() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connector
                                metadata:
                                  name: orders-db
                                spec:
                                  type: postgres
                                  host: ""
                                """))
                .containsExactly(
                        "spec.host: Invalid value: \"\": spec.host in body should be at least 1"
                                + " chars long");
    }

    @Test
    void tooManyPrimaryKeyColumnsCountsThem() {
        assertThat(
                        errorsOf(
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
                                      primaryKey: [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17]
                                """))
                .containsExactly(
                        "spec.streams[0].primaryKey: Too many: 17: must have at most 16 items");
    }

    @Test
    void aNumberWhereAStringBelongsIsAWrongTypeAndHoldsBackTheCelRules() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connector
                                metadata:
                                  name: orders-db
                                spec:
                                  type: 5
                                """))
                .containsExactly(
                        "spec.type: Invalid value: \"integer\": spec.type in body must be of type"
                                + " string: \"integer\"",
                        "<nil>: Invalid value: \"null\": some validation rules were not checked"
                                + " because the object was invalid; correct the existing errors"
                                + " to complete validation");
    }

    @Test
    void aQuotedPortIsAStringNotAnInteger() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connector
                                metadata:
                                  name: orders-db
                                spec:
                                  type: postgres
                                  host: orders-db
                                  port: "5432"
                                """))
                .startsWith(
                        "spec.port: Invalid value: \"string\": spec.port in body must be of type"
                                + " integer: \"string\"");
    }

    @Test
    void unknownSpecFieldIsRefusedLikeKubectlStrictValidation() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Source
                                metadata:
                                  name: orders
                                spec:
                                  type: jdbc
                                  connectorRef: {name: orders-db}
                                  foo: bar
                                  streams:
                                    - name: orders
                                      colour: blue
                                """))
                .containsExactly(
                        "spec.foo: Unknown field \"foo\"",
                        "spec.streams[0].colour: Unknown field \"colour\"");
    }

    @Test
    void unknownTopLevelAndMetadataFieldsAreRefusedToo() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: PipelineType
                                metadata:
                                  name: nightly-batch
                                  lables: {team: data}
                                spec:
                                  displayName: Nightly batch
                                sepc:
                                  displayName: typo
                                """))
                .containsExactlyInAnyOrder(
                        "sepc: Unknown field \"sepc\"",
                        "metadata.lables: Unknown field \"lables\"");
    }

    @Test
    void freeFormPipelineMetadataKeepsAnyFields() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Pipeline
                                metadata:
                                  name: orders-nightly
                                spec:
                                  displayName: Orders nightly load
                                  pipelineTypeRef: {name: nightly-batch}
                                  metadata:
                                    anything: {nested: [1, two, {three: 3}]}
                                """))
                .isEmpty();
    }

    @Test
    void resourceQuantitiesAreIntegersOrStringsAndNothingElse() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connection
                                metadata:
                                  name: nightly
                                spec:
                                  sourceRef: {name: orders}
                                  destinationRef: {name: warehouse}
                                  resources:
                                    requests: {cpu: 250m, memory: 1073741824}
                                    limits: {cpu: true}
                                """))
                .startsWith(
                        "spec.resources.limits.cpu: Invalid value: \"boolean\":"
                            + " spec.resources.limits.cpu in body must be of type integer,string:"
                            + " \"boolean\"");
    }

    @Test
    void mapValuesFollowTheirSchema() {
        assertThat(
                        errorsOf(
                                """
                                apiVersion: millrace.dev/v1alpha1
                                kind: Connector
                                metadata:
                                  name: orders-db
                                spec:
                                  type: postgres
                                  host: orders-db
                                  options:
                                    connect_timeout: 10
                                """))
                .startsWith(
                        "spec.options.connect_timeout: Invalid value: \"integer\":"
                                + " spec.options.connect_timeout in body must be of type string:"
                                + " \"integer\"");
    }
}

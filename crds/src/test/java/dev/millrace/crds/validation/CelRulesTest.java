package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-field rules of the Millrace kinds fire when broken and stay quiet otherwise. */
class CelRulesTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    private List<String> errorsOf(String manifest) {
        return validator.validate(Manifests.parse(manifest)).errors().stream()
                .map(FieldError::toString)
                .toList();
    }

    private static String source(String spec) {
        return """
        apiVersion: millrace.dev/v1alpha1
        kind: Source
        metadata:
          name: orders
        spec:
        """
                + spec.indent(2);
    }

    private static String destination(String spec) {
        return """
        apiVersion: millrace.dev/v1alpha1
        kind: Destination
        metadata:
          name: warehouse
        spec:
        """
                + spec.indent(2);
    }

    private static String connector(String spec) {
        return """
        apiVersion: millrace.dev/v1alpha1
        kind: Connector
        metadata:
          name: orders-db
        spec:
        """
                + spec.indent(2);
    }

    private static String connection(String more) {
        return """
        apiVersion: millrace.dev/v1alpha1
        kind: Connection
        metadata:
          name: nightly
        spec:
          sourceRef: {name: orders}
          destinationRef: {name: warehouse}
        """
                + more.indent(2);
    }

    @Test
    void fileSourceWithoutFilesNamesTheMissingFolderSettings() {
        assertThat(errorsOf(source("type: csv")))
                .containsExactly(
                        "spec: Invalid value: \"object\": files is required when type is csv,"
                                + " parquet or json");
        assertThat(errorsOf(source("type: csv\nfiles: {directory: uploads/orders}"))).isEmpty();
    }

    @Test
    void jdbcSourceNeedsAConnector() {
        assertThat(errorsOf(source("type: jdbc")))
                .containsExactly(
                        "spec: Invalid value: \"object\": connectorRef is required when type is"
                                + " jdbc");
        assertThat(errorsOf(source("type: jdbc\nconnectorRef: {name: shop-db}"))).isEmpty();
    }

    @Test
    void restSourceNeedsABaseUrlAndStreamsWithPaths() {
        assertThat(errorsOf(source("type: rest")))
                .containsExactly(
                        "spec: Invalid value: \"object\": rest.baseUrl (or a connectorRef to an"
                                + " http Connector) is required when type is rest",
                        "spec: Invalid value: \"object\": a rest source needs streams, each with"
                                + " a path");
        assertThat(
                        errorsOf(
                                source(
                                        "type: rest\nrest: {baseUrl: 'https://api.example.com'}\n"
                                                + "streams: [{name: orders}]")))
                .containsExactly(
                        "spec: Invalid value: \"object\": a rest source needs streams, each with"
                                + " a path");
        assertThat(
                        errorsOf(
                                source(
                                        "type: rest\nconnectorRef: {name: shop-api}\n"
                                                + "streams: [{name: orders, path: /orders}]")))
                .isEmpty();
    }

    @Test
    void restAuthNeedsItsSecretAndItsKindsFields() {
        String base = "type: rest\nstreams: [{name: orders, path: /orders}]\nrest:\n";
        assertThat(
                        errorsOf(
                                source(
                                        base
                                                + "  baseUrl: https://api.example.com\n"
                                                + "  auth: {type: basic}")))
                .containsExactlyInAnyOrder(
                        "spec.rest.auth: Invalid value: \"object\": secretRef is required when"
                                + " auth type is bearer, basic or api_key",
                        "spec.rest.auth: Invalid value: \"object\": username is required when"
                                + " auth type is basic");
        assertThat(
                        errorsOf(
                                source(
                                        base
                                                + "  baseUrl: https://api.example.com\n"
                                                + "  auth: {type: api_key, secretRef: {name: k,"
                                                + " key: v}}")))
                .containsExactly(
                        "spec.rest.auth: Invalid value: \"object\": api_key auth needs exactly one"
                                + " of header and queryParam");
        assertThat(
                        errorsOf(
                                source(
                                        base
                                                + "  baseUrl: https://api.example.com\n"
                                                + "  auth: {type: api_key, header: X-API-Key,"
                                                + " secretRef: {name: k, key: v}}")))
                .isEmpty();
    }

    @Test
    void stripeSourceNeedsItsKeySecret() {
        assertThat(errorsOf(source("type: stripe")))
                .containsExactly(
                        "spec: Invalid value: \"object\": stripe (with the secretRef of the Stripe"
                                + " key) is required when type is stripe");
        assertThat(
                        errorsOf(
                                source(
                                        "type: stripe\nstripe: {secretRef: {name: stripe, key:"
                                                + " api-key}, endpoints: [charges, customers]}")))
                .isEmpty();
    }

    @Test
    void parquetDestinationNeedsAPathAndPostgresAConnector() {
        assertThat(errorsOf(destination("type: parquet")))
                .containsExactly(
                        "spec: Invalid value: \"object\": path is required when type is parquet");
        assertThat(errorsOf(destination("type: postgres")))
                .containsExactly(
                        "spec: Invalid value: \"object\": connectorRef is required when type is"
                                + " postgres");
        assertThat(errorsOf(destination("type: duckdb"))).isEmpty();
    }

    @Test
    void cronScheduleWithoutExpressionIsInvalid() {
        assertThat(errorsOf(connection("schedule: {scheduleType: cron}")))
                .containsExactly(
                        "spec.schedule: Invalid value: \"object\": cronExpression is required when"
                                + " scheduleType is cron");
        assertThat(
                        errorsOf(
                                connection(
                                        "schedule: {scheduleType: cron, cronExpression: '0 2 * *"
                                                + " *'}")))
                .isEmpty();
    }

    @Test
    void basicScheduleWithoutTimingIsInvalid() {
        assertThat(errorsOf(connection("schedule: {scheduleType: basic}")))
                .containsExactly(
                        "spec.schedule: Invalid value: \"object\": basicTiming is required when"
                                + " scheduleType is basic");
        assertThat(errorsOf(connection("schedule: {scheduleType: manual}"))).isEmpty();
    }

    @Test
    void dedupedStreamWithoutPrimaryKeyNamesTheStream() {
        String withoutKey =
                """
                streams:
                  - name: order_lines
                  - name: orders
                    syncMode: incremental_deduped_history
                  - name: customers
                    syncMode: incremental_deduped_history
                    primaryKey: []
                """;
        assertThat(errorsOf(connection(withoutKey)))
                .containsExactly(
                        "spec.streams[1]: Invalid value: \"object\": primaryKey is required when"
                                + " syncMode is incremental_deduped_history",
                        "spec.streams[2]: Invalid value: \"object\": primaryKey is required when"
                                + " syncMode is incremental_deduped_history");

        String withKey =
                """
                streams:
                  - name: orders
                    syncMode: incremental_deduped_history
                    primaryKey: [id]
                """;
        assertThat(errorsOf(connection(withKey))).isEmpty();
    }

    @Test
    void networkDatabaseConnectorNeedsAHost() {
        assertThat(errorsOf(connector("type: mysql")))
                .containsExactly(
                        "spec: Invalid value: \"object\": host is required for network databases");
        assertThat(errorsOf(connector("type: mysql\nhost: db.internal"))).isEmpty();
    }

    @Test
    void fileDatabaseConnectorNeedsTheFilePath() {
        assertThat(errorsOf(connector("type: sqlite")))
                .containsExactly(
                        "spec: Invalid value: \"object\": database (the file path) is required"
                                + " for sqlite and duckdb");
        assertThat(errorsOf(connector("type: duckdb\ndatabase: /data/shop.duckdb"))).isEmpty();
    }

    @Test
    void httpConnectorNeedsAUrl() {
        assertThat(errorsOf(connector("type: http")))
                .containsExactly(
                        "spec: Invalid value: \"object\": url is required when type is http");
        assertThat(errorsOf(connector("type: http\nurl: https://api.example.com"))).isEmpty();
    }

    @Test
    void credentialedAuthTypesNeedASecret() {
        assertThat(errorsOf(connector("type: postgres\nhost: db\nauthType: bearer")))
                .containsExactly(
                        "spec: Invalid value: \"object\": secretRef is required when authType"
                                + " needs a credential");
        assertThat(
                        errorsOf(
                                connector(
                                        "type: postgres\nhost: db\nauthType: bearer\n"
                                                + "secretRef: {name: db-token, key: token}")))
                .isEmpty();
    }

    @Test
    void rulesSeeDefaultedFieldsAsTheApiServerDoes() {
        // The auth rule reads self.authType, which only the default (none) puts there.
        assertThat(errorsOf(connector("type: postgres\nhost: db"))).isEmpty();
    }

    @Test
    void everyBrokenRuleOfAnObjectIsReported() {
        assertThat(errorsOf(connector("type: postgres\nauthType: basic")))
                .containsExactly(
                        "spec: Invalid value: \"object\": host is required for network databases",
                        "spec: Invalid value: \"object\": secretRef is required when authType"
                                + " needs a credential");
    }
}

package dev.millrace.api.connector;

import static dev.millrace.api.connector.ConnectorApiFixture.MYSQL;
import static dev.millrace.api.connector.ConnectorApiFixture.NS;
import static dev.millrace.api.connector.ConnectorApiFixture.assertError;
import static dev.millrace.api.connector.ConnectorApiFixture.decoded;
import static dev.millrace.api.connector.ConnectorApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorsApiTest {
    @TempDir static Path tmp;
    static ApiTestCluster cluster;
    static ConnectorApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        api = new ConnectorApiFixture(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String named(String name) {
        return MYSQL.replace("Production MySQL", name);
    }

    @Test
    void createWithTheReferenceExampleMakesAConnectorAndKeepsThePasswordInItsSecretOnly()
            throws Exception {
        var response = api.post("/api/connector", named("Reference MySQL"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response);
        long id = body.path("connectorID").asLong();
        assertThat(id).isPositive();
        assertThat(body.path("message").asText()).isEqualTo("Connector created successfully");
        assertThat(body.path("status").asText()).isEqualTo("success");

        Connector connector = api.connector(id);
        assertThat(connector.getMetadata().getName()).isEqualTo("reference-mysql");
        ConnectorSpec spec = connector.getSpec();
        assertThat(spec.displayName).isEqualTo("Reference MySQL");
        assertThat(spec.type).isEqualTo(ConnectorSpec.ConnectorType.MYSQL);
        assertThat(spec.host).isEqualTo("mysql.example.com");
        assertThat(spec.port).isEqualTo(3306);
        assertThat(spec.database).isEqualTo("analytics");
        assertThat(spec.username).isEqualTo("databasin_user");
        assertThat(spec.authType).isEqualTo(ConnectorSpec.AuthType.BASIC);
        assertThat(spec.secretRef.getName()).isEqualTo("reference-mysql-credentials");
        assertThat(spec.secretRef.getKey()).isEqualTo("password");
        assertThat(connector.getMetadata().getLabels())
                .containsEntry("millrace.dev/institution-id", "1")
                .containsEntry("millrace.dev/internal-id", "proj-001")
                .containsEntry("millrace.dev/owner-id", "456");
        assertThat(Serialization.asJson(connector)).doesNotContain("secure_password");

        Secret secret = api.secret("reference-mysql-credentials");
        assertThat(decoded(secret, "password")).isEqualTo("secure_password");
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        o -> {
                            assertThat(o.getKind()).isEqualTo("Connector");
                            assertThat(o.getUid()).isEqualTo(connector.getMetadata().getUid());
                        });
    }

    @Test
    void aSecondConnectorOfTheSameNameGetsTheNextFreeName() throws Exception {
        long first = api.create(named("Twin MySQL"));
        var second = api.post("/api/connector", named("Twin MySQL"));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        long id = json(second).path("connectorID").asLong();
        assertThat(id).isNotEqualTo(first);
        assertThat(api.connector(id).getMetadata().getName()).isEqualTo("twin-mysql-2");
        assertThat(api.connector(id).getSpec().secretRef.getName())
                .isEqualTo("twin-mysql-2-credentials");
        assertThat(decoded(api.secret("twin-mysql-2-credentials"), "password"))
                .isEqualTo("secure_password");
    }

    @Test
    void aSecretSomeoneElseMadeIsNeverOverwrittenOrDeleted() throws Exception {
        cluster.client
                .resource(
                        new io.fabric8.kubernetes.api.model.SecretBuilder()
                                .withNewMetadata()
                                .withName("shared-mysql-credentials")
                                .withNamespace(NS)
                                .endMetadata()
                                .withStringData(Map.of("password", "theirs"))
                                .build())
                .create();
        String before = api.secret("shared-mysql-credentials").getMetadata().getResourceVersion();

        long id = api.create(named("Shared MySQL"));

        Connector connector = api.connector(id);
        assertThat(connector.getMetadata().getName()).isEqualTo("shared-mysql-2");
        assertThat(connector.getSpec().secretRef.getName()).isEqualTo("shared-mysql-2-credentials");
        assertThat(api.delete("/api/connector/" + id).statusCode()).isEqualTo(200);
        assertThat(api.secret("shared-mysql-2-credentials")).isNull();
        assertThat(api.secret("shared-mysql-credentials").getMetadata().getResourceVersion())
                .isEqualTo(before);
    }

    @Test
    void getAnswersTheReferenceShapeAndNeverThePassword() throws Exception {
        long id = api.create(named("Shown MySQL"));

        var response = api.get("/api/connector/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("secure_password").doesNotContain("Password");
        JsonNode c = json(response);
        assertThat(c.path("connectorID").asLong()).isEqualTo(id);
        assertThat(c.path("connectorName").asText()).isEqualTo("Shown MySQL");
        assertThat(c.path("connectorType").asText()).isEqualTo("RDBMS");
        assertThat(c.path("connectorEngine").asText()).isEqualTo("mysql");
        assertThat(c.path("connectorHost").asText()).isEqualTo("mysql.example.com");
        assertThat(c.path("connectorPort").isTextual()).isTrue();
        assertThat(c.path("connectorPort").asText()).isEqualTo("3306");
        assertThat(c.path("connectorDatabaseName").asText()).isEqualTo("analytics");
        assertThat(c.path("connectorUsername").asText()).isEqualTo("databasin_user");
        assertThat(c.path("connectorAuthType").asInt()).isEqualTo(2);
        assertThat(c.path("institutionID").asLong()).isEqualTo(1);
        assertThat(c.path("internalID").asText()).isEqualTo("proj-001");
        assertThat(c.path("ownerID").asLong()).isEqualTo(456);
        assertThat(c.path("active").asBoolean()).isTrue();
        assertThat(c.path("connectorMaxConnections").asInt()).isEqualTo(5);
        assertThat(c.path("createdDate").asText()).isNotBlank();
        assertThat(c.path("lastModifiedDate").asText()).isNotBlank();
    }

    @Test
    void listFiltersByInstitutionAndProject() throws Exception {
        long a =
                api.create(
                        named("Filter A").replace("\"institutionID\": 1", "\"institutionID\": 71"));
        long b =
                api.create(
                        named("Filter B")
                                .replace("\"institutionID\": 1", "\"institutionID\": 71")
                                .replace("proj-001", "proj-b"));
        long other =
                api.create(
                        named("Filter C").replace("\"institutionID\": 1", "\"institutionID\": 72"));

        var byInstitution = api.get("/api/connector?institutionID=71");
        var byProject = api.get("/api/connector?institutionID=71&internalID=proj-b");
        var all = api.get("/api/connector");

        assertThat(ids(byInstitution)).containsExactly(a, b);
        assertThat(ids(byProject)).containsExactly(b);
        assertThat(ids(all)).contains(a, b, other);
        assertThat(all.body()).doesNotContain("secure_password");
        JsonNode first = json(byInstitution).get(0);
        assertThat(first.path("connectorName").asText()).isEqualTo("Filter A");
        assertThat(first.path("connectorPort").asText()).isEqualTo("3306");
        assertThat(first.has("connectorUsername")).isFalse();
        assertError(api.get("/api/connector?institutionID=abc"), 400);
        assertError(api.get("/api/connector?internalID=not%20a%20label"), 400);
    }

    @Test
    void putChangesOnlyTheFieldsSentAndRotatesThePasswordInTheSecret() throws Exception {
        long id = api.create(named("Rotated MySQL"));

        var response =
                api.put(
                        "/api/connector/" + id,
                        """
                        {
                          "connectorName": "Production MySQL - Updated",
                          "connectorPassword": "new_secure_password",
                          "connectorMaxConnections": 16
                        }\
                        """);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("connectorID").asLong()).isEqualTo(id);
        assertThat(body.path("message").asText()).isEqualTo("Connector updated successfully");
        assertThat(body.path("status").asText()).isEqualTo("success");
        Connector connector = api.connector(id);
        assertThat(connector.getSpec().displayName).isEqualTo("Production MySQL - Updated");
        assertThat(connector.getSpec().maxConnections).isEqualTo(16);
        assertThat(connector.getSpec().host).isEqualTo("mysql.example.com");
        assertThat(connector.getSpec().username).isEqualTo("databasin_user");
        assertThat(connector.getMetadata().getName()).isEqualTo("rotated-mysql");
        assertThat(Serialization.asJson(connector)).doesNotContain("new_secure_password");
        assertThat(decoded(api.secret("rotated-mysql-credentials"), "password"))
                .isEqualTo("new_secure_password");
        var shown = api.get("/api/connector/" + id);
        assertThat(json(shown).path("connectorMaxConnections").asInt()).isEqualTo(16);
        assertThat(shown.body()).doesNotContain("new_secure_password");
    }

    @Test
    void switchingToNoAuthenticationDropsTheSecret() throws Exception {
        long id = api.create(named("Unauthenticated MySQL"));

        var response = api.put("/api/connector/" + id, "{\"connectorAuthType\": 22}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Connector connector = api.connector(id);
        assertThat(connector.getSpec().authType).isEqualTo(ConnectorSpec.AuthType.NONE);
        assertThat(connector.getSpec().secretRef).isNull();
        assertThat(api.secret("unauthenticated-mysql-credentials")).isNull();
        assertThat(json(api.get("/api/connector/" + id)).path("connectorAuthType").asInt())
                .isEqualTo(22);
        assertThat(
                        assertError(
                                api.put("/api/connector/" + id, "{\"connectorPassword\": \"p\"}"),
                                400))
                .contains("connectorAuthType 22");
        var back =
                api.put(
                        "/api/connector/" + id,
                        "{\"connectorAuthType\": 2, \"connectorPassword\": \"again\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(api.connector(id).getSpec().secretRef.getName())
                .isEqualTo("unauthenticated-mysql-credentials");
        assertThat(decoded(api.secret("unauthenticated-mysql-credentials"), "password"))
                .isEqualTo("again");
    }

    @Test
    void apiConnectorsWithAKeyAndEnginesByNameAreCreated() throws Exception {
        long http =
                api.create(
                        """
                        {"connectorName": "Billing API", "connectorType": "API",
                         "connectorURL": "https://billing.example.com/v1",
                         "connectorAuthType": 8, "connectorPassword": "key-123"}\
                        """);
        long postgres =
                api.create(
                        """
                        {"connectorName": "Warehouse", "connectorType": "RDBMS",
                         "connectorEngine": "postgres", "connectorHost": "db", "connectorPort": 6543,
                         "connectorAuthType": 22}\
                        """);

        Connector api1 = api.connector(http);
        assertThat(api1.getSpec().type).isEqualTo(ConnectorSpec.ConnectorType.HTTP);
        assertThat(api1.getSpec().authType).isEqualTo(ConnectorSpec.AuthType.API_KEY);
        assertThat(decoded(api.secret(api1.getSpec().secretRef.getName()), "password"))
                .isEqualTo("key-123");
        assertThat(json(api.get("/api/connector/" + http)).path("connectorType").asText())
                .isEqualTo("API");
        Connector pg = api.connector(postgres);
        assertThat(pg.getSpec().type).isEqualTo(ConnectorSpec.ConnectorType.POSTGRES);
        assertThat(pg.getSpec().port).isEqualTo(6543);
        assertThat(pg.getSpec().secretRef).isNull();
    }

    @Test
    void deleteRemovesTheConnectorAndItsSecret() throws Exception {
        long id = api.create(named("Doomed MySQL"));
        assertThat(api.secret("doomed-mysql-credentials")).isNotNull();

        var response = api.delete("/api/connector/" + id);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("message").asText())
                .isEqualTo("Connector deleted successfully");
        assertThat(json(response).path("status").asText()).isEqualTo("success");
        assertThat(
                        cluster.client
                                .resources(Connector.class)
                                .inNamespace(NS)
                                .withName("doomed-mysql")
                                .get())
                .isNull();
        assertThat(api.secret("doomed-mysql-credentials")).isNull();
        assertError(api.get("/api/connector/" + id), 404);
    }

    @Test
    void unknownIdsAre404AndMalformedIds400() throws Exception {
        assertThat(assertError(api.get("/api/connector/999"), 404))
                .isEqualTo("Connector with ID 999 not found");
        assertError(api.put("/api/connector/999", "{}"), 404);
        assertError(api.delete("/api/connector/999"), 404);
        assertError(api.post("/api/connector/999/test", "{}"), 404);
        assertError(api.get("/api/connector/999/catalogs"), 404);
        assertError(api.get("/api/connector/abc"), 400);
        assertError(api.get("/api/connector/0"), 400);
        assertError(api.delete("/api/connector/-1"), 400);
    }

    @Test
    void badCreateAndUpdateBodiesAre400AndWriteNothing() throws Exception {
        long id = api.create(named("Untouched MySQL"));
        List<String> before = state();

        assertThat(assertError(api.post("/api/connector", "{\"connectorType\": \"RDBMS\"}"), 400))
                .isEqualTo("Missing required field: connectorName");
        Map<String, String> bad =
                Map.ofEntries(
                        Map.entry("broken JSON", "{"),
                        Map.entry("not an object", "[]"),
                        Map.entry("no type", "{\"connectorName\": \"x\"}"),
                        Map.entry("unknown field", named("x").replace("\"ownerID\"", "\"owner\"")),
                        Map.entry(
                                "auth code",
                                named("x")
                                        .replace(
                                                "\"connectorAuthType\": 2",
                                                "\"connectorAuthType\": 7")),
                        Map.entry("port range", named("x").replace("\"3306\"", "\"70000\"")),
                        Map.entry("port text", named("x").replace("\"3306\"", "\"mysql\"")),
                        Map.entry("name type", named("x").replace("\"x\"", "42")),
                        Map.entry("no password", named("x").replace("\"secure_password\"", "null")),
                        Map.entry(
                                "password without auth",
                                named("x")
                                        .replace(
                                                "\"connectorAuthType\": 2",
                                                "\"connectorAuthType\": 22")),
                        Map.entry("unknown engine", named("x").replace("\"3306\"", "\"9999\"")),
                        Map.entry("engine", named("x").replace("\"RDBMS\"", "\"oracle\"")),
                        Map.entry("label", named("x").replace("proj-001", "proj 001")),
                        Map.entry(
                                "institution",
                                named("x")
                                        .replace("\"institutionID\": 1", "\"institutionID\": -1")),
                        Map.entry(
                                "no host (schema rule)",
                                named("x")
                                        .replace("\"connectorHost\": \"mysql.example.com\",", "")),
                        Map.entry(
                                "max connections",
                                named("x")
                                        .replace(
                                                "\"ownerID\": 456",
                                                "\"ownerID\": 456, \"connectorMaxConnections\":"
                                                        + " 101")));
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            var response = api.post("/api/connector", entry.getValue());
            assertThat(response.statusCode())
                    .as(entry.getKey() + ": " + response.body())
                    .isEqualTo(400);
            assertError(response, 400);
        }
        for (String update :
                List.of(
                        "{\"connectorPort\": 0}",
                        "{\"connectorName\": \"\"}",
                        "{\"connectorAuthType\": 20}".replace("20", "\"20\""),
                        "{\"connectorMaxConnections\": 0}",
                        "{\"connectorHost\": 12}",
                        "{\"active\": \"yes\"}",
                        "{\"connectorID\": 5}",
                        "not json")) {
            assertError(api.put("/api/connector/" + id, update), 400);
        }
        assertThat(state()).isEqualTo(before);
    }

    /** Every Connector and Secret of the namespace with its resourceVersion. */
    private static List<String> state() {
        List<String> state = new ArrayList<>();
        cluster.client
                .resources(Connector.class)
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(
                        c ->
                                state.add(
                                        "Connector/"
                                                + c.getMetadata().getName()
                                                + "@"
                                                + c.getMetadata().getResourceVersion()));
        cluster.client
                .secrets()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(
                        s ->
                                state.add(
                                        "Secret/"
                                                + s.getMetadata().getName()
                                                + "@"
                                                + s.getMetadata().getResourceVersion()));
        return state;
    }

    private static List<Long> ids(java.net.http.HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        json(response).forEach(c -> ids.add(c.path("connectorID").asLong()));
        return ids;
    }
}

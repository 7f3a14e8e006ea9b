package dev.millrace.api.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.connector.Connector;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Requests to the connector family of an {@link ApiTestCluster}, and what they left behind. */
final class ConnectorApiFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = ApiTestCluster.NS;

    /** The reference's create example. */
    static final String MYSQL =
            """
            {
              "connectorName": "Production MySQL",
              "connectorType": "RDBMS",
              "connectorHost": "mysql.example.com",
              "connectorPort": "3306",
              "connectorDatabaseName": "analytics",
              "connectorUsername": "databasin_user",
              "connectorPassword": "secure_password",
              "connectorAuthType": 2,
              "institutionID": 1,
              "internalID": "proj-001",
              "ownerID": 456
            }\
            """;

    final ApiTestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    ConnectorApiFixture(ApiTestCluster cluster) {
        this.cluster = cluster;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send("PUT", path, body);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts the status and the reference's error body; returns the message. */
    static String assertError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("status").asInt()).as(response.body()).isEqualTo(status);
        assertThat(body.path("error").asText()).as(response.body()).isNotBlank();
        assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
        return body.path("message").asText();
    }

    /** Creates a connector through the API; returns its connectorID. */
    long create(String body) throws Exception {
        HttpResponse<String> response = post("/api/connector", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("connectorID").asLong();
    }

    /** The Connector behind {@code id}, read from the Kubernetes API. */
    Connector connector(long id) {
        var ref = cluster.store.findById("Connector", id).orElseThrow();
        return cluster.client
                .resources(Connector.class)
                .inNamespace(ref.namespace())
                .withName(ref.name())
                .get();
    }

    Secret secret(String name) {
        return cluster.client.secrets().inNamespace(NS).withName(name).get();
    }

    static String decoded(Secret secret, String key) {
        return new String(
                Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}

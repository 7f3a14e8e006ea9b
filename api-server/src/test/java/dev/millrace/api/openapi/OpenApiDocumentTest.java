package dev.millrace.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.millrace.api.ApiTestCluster;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir static Path tmp;
    private ApiTestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void theServedDocumentIsValidOpenApi30() throws Exception {
        HttpResponse<String> response = cluster.get("/api/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result =
                new OpenAPIParser().readContents(response.body(), null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.0");
        assertThat(result.getOpenAPI().getInfo().getTitle()).isEqualTo(ApiDocs.TITLE);
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes())
                .containsKey("bearerAuth");
    }

    @Test
    void everyFragmentsPathsAndSchemasAreInTheDocument() throws Exception {
        JsonNode served = JSON.readTree(cluster.get("/api/openapi.json").body());
        Map<String, URL> fragments = OpenApiDocument.fragments(getClass().getClassLoader());
        assertThat(fragments).containsKey("shared.yaml");

        for (Map.Entry<String, URL> fragment : fragments.entrySet()) {
            JsonNode yaml = YAML.readTree(fragment.getValue());
            yaml.path("paths")
                    .fieldNames()
                    .forEachRemaining(
                            path ->
                                    assertThat(served.path("paths").has(path))
                                            .as("%s from %s", path, fragment.getKey())
                                            .isTrue());
            yaml.path("components")
                    .path("schemas")
                    .fieldNames()
                    .forEachRemaining(
                            schema ->
                                    assertThat(
                                                    served.path("components")
                                                            .path("schemas")
                                                            .has(schema))
                                            .as("schema %s from %s", schema, fragment.getKey())
                                            .isTrue());
        }
        assertThat(served.path("paths").has("/api/openapi.json")).isTrue();
    }

    @Test
    void twoFragmentsDefiningTheSameOperationDifferentlyAreAnError() throws Exception {
        ObjectNode document =
                (ObjectNode) YAML.readTree("paths:\n  /a:\n    get:\n      summary: one\n");
        ObjectNode same =
                (ObjectNode) YAML.readTree("paths:\n  /a:\n    get:\n      summary: one\n");
        ObjectNode other =
                (ObjectNode)
                        YAML.readTree(
                                "paths:\n  /a:\n    post:\n      summary: two\n"
                                        + "components:\n  schemas:\n    X: {type: string}\n");
        ObjectNode clash =
                (ObjectNode) YAML.readTree("paths:\n  /a:\n    get:\n      summary: three\n");

        OpenApiDocument.merge(document, same, "same.yaml");
        OpenApiDocument.merge(document, other, "other.yaml");

        assertThat(document.path("paths").path("/a").has("get")).isTrue();
        assertThat(document.path("paths").path("/a").has("post")).isTrue();
        assertThat(document.path("components").path("schemas").has("X")).isTrue();
        assertThatThrownBy(() -> OpenApiDocument.merge(document, clash, "clash.yaml"))
                .hasMessageContaining("clash.yaml")
                .hasMessageContaining("/a");
    }
}

package dev.millrace.api.airbyte;

import static dev.millrace.api.airbyte.PublicApiFixture.assertError;
import static dev.millrace.api.airbyte.PublicApiFixture.id;
import static dev.millrace.api.airbyte.PublicApiFixture.json;
import static dev.millrace.api.airbyte.PublicApiFixture.ns;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.Source;
import io.fabric8.kubernetes.api.model.Namespace;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesAndDestinationsApiTest {
    @TempDir static Path tmp;
    static ApiTestCluster cluster;
    static PublicApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        api = new PublicApiFixture(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Source source(Namespace ws, String name) {
        return cluster.client.resources(Source.class).inNamespace(ns(ws)).withName(name).get();
    }

    @Test
    void listSourcesOfAWorkspaceAnswersTheReferenceShape() throws Exception {
        Namespace ws = api.workspace();
        Source orders = api.source(ws, "orders", "My Source");
        api.source(api.workspace(), "elsewhere", null);

        var response = api.get("/sources?workspaceIds=" + id(ws));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("data")).hasSize(1);
        JsonNode s = body.path("data").get(0);
        assertThat(s.path("sourceId").asText()).isEqualTo(orders.getMetadata().getUid());
        assertThat(s.path("name").asText()).isEqualTo("My Source");
        assertThat(s.path("sourceType").asText()).isEqualTo("csv");
        assertThat(s.path("workspaceId").asText()).isEqualTo(id(ws));
        assertThat(s.path("configuration").path("sourceType").asText()).isEqualTo("csv");
        assertThat(s.path("configuration").path("directory").asText()).isEqualTo("orders");
        assertThat(s.path("configuration").path("glob").asText()).isEqualTo("*.csv");
        assertThat(body.path("previous").asText()).isEmpty();
        assertThat(body.path("next").asText()).isEmpty();
    }

    @Test
    void getSourceByIdAnswersTheSourceAndRejectsUnknownAndMalformedIds() throws Exception {
        Namespace ws = api.workspace();
        Source orders = api.source(ws, "orders", null);

        var found = api.get("/sources/" + orders.getMetadata().getUid());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).path("name").asText()).isEqualTo("orders");

        assertThat(assertError(api.get("/sources/" + UUID.randomUUID()), 404))
                .contains("not found");
        assertError(api.get("/sources/123"), 400);
        assertError(api.get("/sources?limit=101"), 400);
    }

    @Test
    void createCsvSourceSlugsTheNameAndKeepsItAsDisplayName() throws Exception {
        Namespace ws = api.workspace();
        String body =
                "{\"name\": \"My Orders (EU)\", \"workspaceId\": \""
                        + id(ws)
                        + "\", \"configuration\": {\"sourceType\": \"csv\", \"directory\":"
                        + " \"orders\", \"delimiter\": \";\", \"header\": false}}";

        var first = api.post("/sources", body);
        var second = api.post("/sources", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        Source created = source(ws, "my-orders-eu");
        assertThat(created.getSpec().displayName).isEqualTo("My Orders (EU)");
        assertThat(created.getSpec().files.delimiter).isEqualTo(";");
        assertThat(created.getSpec().files.header).isFalse();
        assertThat(json(first).path("sourceId").asText()).isEqualTo(created.getMetadata().getUid());
        assertThat(json(first).path("workspaceId").asText()).isEqualTo(id(ws));
        assertThat(source(ws, "my-orders-eu-2").getSpec().displayName).isEqualTo("My Orders (EU)");
    }

    @Test
    void badSourceCreationsAreRejectedWithReasonsAndCreateNothing() throws Exception {
        Namespace ws = api.workspace();
        String wsId = id(ws);
        List<String> before = api.snapshot(ws);
        String csv = "\"configuration\": {\"sourceType\": \"csv\", \"directory\": \"d\"}";

        for (String body :
                List.of(
                        "{",
                        "[]",
                        "{\"workspaceId\": \"" + wsId + "\", " + csv + "}",
                        "{\"name\": 5, \"workspaceId\": \"" + wsId + "\", " + csv + "}",
                        "{\"name\": \"x\", " + csv + "}",
                        "{\"name\": \"x\", \"workspaceId\": \"nope\", " + csv + "}",
                        "{\"name\": \"x\", \"workspaceId\": \"" + wsId + "\"}",
                        "{\"name\": \"x\", \"workspaceId\": \""
                                + wsId
                                + "\", \"secretId\": \"s\", "
                                + csv
                                + "}",
                        "{\"name\": \"x\", \"workspaceId\": \""
                                + wsId
                                + "\", \"configuration\": []}",
                        "{\"name\": \"x\", \"workspaceId\": \""
                                + wsId
                                + "\", \"configuration\": {\"sourceType\": \"csv\", \"directory\":"
                                + " \"d\", \"password\": \"p\"}}",
                        "{\"name\": \""
                                + "n".repeat(151)
                                + "\", \"workspaceId\": \""
                                + wsId
                                + "\", "
                                + csv
                                + "}")) {
            assertError(api.post("/sources", body), 400);
        }
        assertThat(
                        assertError(
                                api.post(
                                        "/sources",
                                        "{\"name\": \"pg\", \"workspaceId\": \""
                                                + wsId
                                                + "\", \"configuration\": {\"sourceType\":"
                                                + " \"postgres\"}}"),
                                400))
                .contains("sourceType 'postgres' is not supported");
        assertThat(
                        assertError(
                                api.post(
                                        "/sources",
                                        "{\"name\": \"x\", \"workspaceId\": \""
                                                + wsId
                                                + "\","
                                                + " \"configuration\": {\"sourceType\": \"csv\"}}"),
                                400))
                .contains("spec.files.directory: Required value");
        assertThat(
                        assertError(
                                api.post(
                                        "/sources",
                                        "{\"name\": \"x\", \"workspaceId\": \""
                                                + wsId
                                                + "\","
                                                + " \"configuration\": {\"sourceType\": \"csv\","
                                                + " \"directory\": \"d\", \"header\": \"yes\"}}"),
                                400))
                .contains("spec.files.header");
        assertError(
                api.post(
                        "/sources",
                        "{\"name\": \"x\", \"workspaceId\": \""
                                + UUID.randomUUID()
                                + "\", "
                                + csv
                                + "}"),
                404);
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }

    @Test
    void patchRenamesAndMergesTheConfigurationWhilePutReplacesIt() throws Exception {
        Namespace ws = api.workspace();
        Source orders = api.source(ws, "orders", "Orders");
        String path = "/sources/" + orders.getMetadata().getUid();

        var patched =
                api.patch(
                        path,
                        "{\"name\": \"Orders EU\", \"configuration\": {\"glob\": \"eu-*.csv\"}}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("name").asText()).isEqualTo("Orders EU");
        Source afterPatch = source(ws, "orders");
        assertThat(afterPatch.getSpec().displayName).isEqualTo("Orders EU");
        assertThat(afterPatch.getSpec().files.glob).isEqualTo("eu-*.csv");
        assertThat(afterPatch.getSpec().files.directory).isEqualTo("orders");

        var replaced =
                api.put(
                        path,
                        "{\"name\": \"Orders\", \"configuration\": {\"sourceType\": \"csv\","
                                + " \"directory\": \"in\"}}");

        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        Source afterPut = source(ws, "orders");
        assertThat(afterPut.getSpec().files.directory).isEqualTo("in");
        assertThat(afterPut.getSpec().files.glob).isEqualTo("*.csv");
    }

    @Test
    void badSourceUpdatesChangeNothing() throws Exception {
        Namespace ws = api.workspace();
        Source orders = api.source(ws, "orders", "Orders");
        String path = "/sources/" + orders.getMetadata().getUid();
        List<String> before = api.snapshot(ws);

        assertError(api.patch(path, "{"), 400);
        assertError(api.patch(path, "{\"definitionId\": \"x\"}"), 400);
        assertError(api.patch(path, "{\"configuration\": {\"directory\": 7}}"), 400);
        assertError(api.patch(path, "{\"configuration\": {\"sourceType\": \"json\"}}"), 400);
        assertError(api.patch(path, "{\"workspaceId\": \"" + id(api.workspace()) + "\"}"), 400);
        assertError(api.put(path, "{\"name\": \"x\"}"), 400);
        assertError(api.patch("/sources/" + UUID.randomUUID(), "{\"name\": \"x\"}"), 404);
        assertError(api.put("/sources/zzz", "{}"), 400);
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }

    @Test
    void deleteRemovesASourceUnlessAConnectionReadsIt() throws Exception {
        Namespace ws = api.workspace();
        Source used = api.source(ws, "orders", null);
        Source unused = api.source(ws, "leads", null);
        api.destination(ws, "warehouse");
        api.connection(ws, "orders-to-warehouse", "orders", "warehouse");

        assertThat(assertError(api.delete("/sources/" + used.getMetadata().getUid()), 409))
                .contains("connection");
        assertThat(source(ws, "orders")).isNotNull();

        var deleted = api.delete("/sources/" + unused.getMetadata().getUid());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(source(ws, "leads")).isNull();
        assertError(api.delete("/sources/" + unused.getMetadata().getUid()), 404);
    }

    @Test
    void destinationsListGetCreatePatchAndDeleteAsDuckDbFiles() throws Exception {
        Namespace ws = api.workspace();
        Destination warehouse = api.destination(ws, "warehouse");

        JsonNode list = json(api.get("/destinations?workspaceIds=" + id(ws)));
        assertThat(list.path("data")).hasSize(1);
        JsonNode d = list.path("data").get(0);
        assertThat(d.path("destinationId").asText()).isEqualTo(warehouse.getMetadata().getUid());
        assertThat(d.path("name").asText()).isEqualTo("warehouse");
        assertThat(d.path("destinationType").asText()).isEqualTo("duckdb");
        assertThat(d.path("workspaceId").asText()).isEqualTo(id(ws));
        assertThat(d.path("configuration").path("destinationType").asText()).isEqualTo("duckdb");
        assertThat(
                        json(api.get("/destinations/" + warehouse.getMetadata().getUid()))
                                .path("name")
                                .asText())
                .isEqualTo("warehouse");

        var created =
                api.post(
                        "/destinations",
                        "{\"name\": \"Archive DB\", \"workspaceId\": \""
                                + id(ws)
                                + "\", \"configuration\": {\"destinationType\": \"duckdb\","
                                + " \"path\": \"archive.duckdb\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Destination archive =
                cluster.client
                        .resources(Destination.class)
                        .inNamespace(ns(ws))
                        .withName("archive-db")
                        .get();
        assertThat(archive.getSpec().path).isEqualTo("archive.duckdb");
        assertThat(archive.getSpec().displayName).isEqualTo("Archive DB");

        String archivePath = "/destinations/" + archive.getMetadata().getUid();
        var patched = api.patch(archivePath, "{\"configuration\": {\"schemaPrefix\": \"land_\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("configuration").path("schemaPrefix").asText())
                .isEqualTo("land_");
        assertThat(json(patched).path("configuration").path("path").asText())
                .isEqualTo("archive.duckdb");

        assertThat(api.delete(archivePath).statusCode()).isEqualTo(204);
        assertThat(
                        cluster.client
                                .resources(Destination.class)
                                .inNamespace(ns(ws))
                                .withName("archive-db")
                                .get())
                .isNull();
    }

    @Test
    void badDestinationRequestsAreRejectedAndChangeNothing() throws Exception {
        Namespace ws = api.workspace();
        Destination warehouse = api.destination(ws, "warehouse");
        api.source(ws, "orders", null);
        api.connection(ws, "orders-to-warehouse", "orders", "warehouse");
        List<String> before = api.snapshot(ws);

        assertThat(
                        assertError(
                                api.post(
                                        "/destinations",
                                        "{\"name\": \"s3\", \"workspaceId\": \""
                                                + id(ws)
                                                + "\", \"configuration\": {\"destinationType\":"
                                                + " \"s3\"}}"),
                                400))
                .contains("destinationType 's3' is not supported");
        assertThat(
                        assertError(
                                api.patch(
                                        "/destinations/" + warehouse.getMetadata().getUid(),
                                        "{\"configuration\": {\"schemaPrefix\": \"Bad-Prefix\"}}"),
                                400))
                .contains("spec.schemaPrefix");
        assertError(api.post("/destinations", "not json"), 400);
        assertError(api.get("/destinations/" + UUID.randomUUID()), 404);
        assertError(api.get("/destinations/x"), 400);
        assertError(api.get("/destinations?offset=-5"), 400);
        assertError(api.delete("/destinations/" + warehouse.getMetadata().getUid()), 409);
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }
}

package dev.millrace.api.watcher;

import static dev.millrace.api.watcher.WatcherApiFixture.assertError;
import static dev.millrace.api.watcher.WatcherApiFixture.assertInvalid;
import static dev.millrace.api.watcher.WatcherApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressesApiTest {
    @TempDir Path tmp;
    ApiTestCluster cluster;
    WatcherApiFixture api;

    static final String ADDRESS =
            """
            { "name": "Source_DB.source_schema.source_table", "address_type_name": "postgres",
              "address_type_group_name": "database", "primary_key": "id",
              "address_metadata": { "external_dependencies": [
                  { "type": "looker_dashboard", "name": "Sales Dashboard" } ] } }\
            """;

    static final String LINEAGE =
            """
            { "pipeline_id": %d,
              "source_addresses": [ { "name": "source_db.source_schema.source_table",
                  "address_type_name": "postgres", "address_type_group_name": "database" } ],
              "target_addresses": [ { "name": "target_db.target_schema.target_table",
                  "address_type_name": "postgres", "address_type_group_name": "database" } ] }\
            """;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        api = new WatcherApiFixture(cluster);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void addressTypesUpsertByNameListAndGet() throws Exception {
        long id =
                api.created(
                        "/address_type",
                        "{\"name\": \"Postgres\", \"group_name\": \"database\"}",
                        201);
        assertThat(
                        api.created(
                                "/address_type",
                                "{\"name\": \"postgres\", \"group_name\": \"database\"}",
                                200))
                .isEqualTo(id);
        api.created("/address_type", "{\"name\": \"mysql\", \"group_name\": \"database\"}", 201);

        JsonNode list = json(api.get("/address_type"));
        assertThat(list).hasSize(2);
        JsonNode type = json(api.get("/address_type/" + id));
        assertThat(type).isEqualTo(list.get(0));
        assertThat(type.path("name").asText()).isEqualTo("postgres");
        assertThat(type.path("group_name").asText()).isEqualTo("database");
        assertThat(type.fieldNames())
                .toIterable()
                .containsExactly("id", "name", "group_name", "created_at", "updated_at");
        assertError(api.get("/address_type/999"), 404);
        assertInvalid(api.post("/address_type", "{\"name\": \"x\"}"), "group_name");
        assertInvalid(
                api.post(
                        "/address_type",
                        "{\"name\": \"" + "t".repeat(151) + "\", \"group_name\": \"g\"}"),
                "name");
        assertThat(cluster.store.lineage().types("default")).hasSize(2);
    }

    @Test
    void theReferenceAddressIsSplitIntoItsPartsAndCreatesItsType() throws Exception {
        HttpResponse<String> created = api.post("/address", ADDRESS);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json(created).path("id").asLong();
        assertThat(api.created("/address", ADDRESS, 200)).isEqualTo(id);

        JsonNode address = json(api.get("/address/" + id));
        assertThat(address.path("name").asText()).isEqualTo("source_db.source_schema.source_table");
        assertThat(address.path("database_name").asText()).isEqualTo("source_db");
        assertThat(address.path("schema_name").asText()).isEqualTo("source_schema");
        assertThat(address.path("table_name").asText()).isEqualTo("source_table");
        assertThat(address.path("primary_key").asText()).isEqualTo("id");
        assertThat(
                        address.path("address_metadata")
                                .path("external_dependencies")
                                .get(0)
                                .path("name")
                                .asText())
                .isEqualTo("Sales Dashboard");
        long typeId = address.path("address_type_id").asLong();
        assertThat(json(api.get("/address_type/" + typeId)).path("name").asText())
                .isEqualTo("postgres");
        assertThat(json(api.get("/address"))).hasSize(1);

        assertError(api.get("/address/999"), 404);
        assertInvalid(
                api.post(
                        "/address",
                        "{\"name\": \"a.b.c\", \"address_type_name\": \"postgres\","
                                + " \"address_type_group_name\": \"database\", \"table_name\": \""
                                + "t".repeat(51)
                                + "\"}"),
                "table_name");
        assertInvalid(
                api.post(
                        "/address",
                        "{\"name\": \"db."
                                + "s".repeat(51)
                                + ".t\", \"address_type_name\":"
                                + " \"postgres\", \"address_type_group_name\": \"database\"}"),
                "name");
        assertInvalid(api.post("/address", "{\"name\": \"a.b.c\"}"), "address_type_name");
        assertThat(cluster.store.lineage().addresses("default")).hasSize(1);
    }

    @Test
    void patchUpdatesAnAddress() throws Exception {
        long id = api.created("/address", ADDRESS, 201);
        long mysql =
                api.created(
                        "/address_type",
                        "{\"name\": \"mysql\", \"group_name\": \"database\"}",
                        201);

        HttpResponse<String> patched =
                api.patch(
                        "/address",
                        "{\"id\": "
                                + id
                                + ", \"name\": \"updated_table_name\","
                                + " \"database_name\": \"updated_db\", \"schema_name\":"
                                + " \"updated_schema\", \"table_name\": \"updated_table\","
                                + " \"primary_key\": \"id\", \"address_type_id\": "
                                + mysql
                                + "}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("name").asText()).isEqualTo("updated_table_name");
        assertThat(body.path("address_type_id").asLong()).isEqualTo(mysql);
        assertThat(body.path("database_name").asText()).isEqualTo("updated_db");
        assertThat(body.path("table_name").asText()).isEqualTo("updated_table");
        assertThat(body.path("updated_at").isNull()).isFalse();
        assertThat(cluster.store.lineage().address("default", id).orElseThrow().schemaName())
                .isEqualTo("updated_schema");

        assertError(api.patch("/address", "{\"id\": 999, \"name\": \"x\"}"), 404);
        assertError(api.patch("/address", "{\"id\": " + id + ", \"address_type_id\": 999}"), 404);
        assertInvalid(api.patch("/address", "{\"name\": \"x\"}"), "id");
    }

    @Test
    void lineageIsLoadedOnlyWhenThePipelineAsksForItAndReplacesItsEdges() throws Exception {
        long pipelineId = api.created("/pipeline", WatcherApiFixture.PIPELINE, 201);

        HttpResponse<String> loaded = api.post("/address_lineage", LINEAGE.formatted(pipelineId));
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(201);
        JsonNode body = json(loaded);
        assertThat(body.path("pipeline_id").asLong()).isEqualTo(pipelineId);
        assertThat(body.path("lineage_relationships_created").asInt()).isEqualTo(1);
        assertThat(body.path("message").asText())
                .isEqualTo("Lineage relationships created for pipeline " + pipelineId);
        assertThat(cluster.store.lineage().edgesOf(pipelineId)).hasSize(1);
        assertThat(json(api.get("/address"))).hasSize(2);

        // Loading again replaces the pipeline's edges rather than adding to them.
        assertThat(
                        json(api.post("/address_lineage", LINEAGE.formatted(pipelineId)))
                                .path("lineage_relationships_created")
                                .asInt())
                .isEqualTo(1);
        assertThat(cluster.store.lineage().edgesOf(pipelineId)).hasSize(1);

        api.patch("/pipeline", "{\"id\": " + pipelineId + ", \"load_lineage\": false}");
        HttpResponse<String> skipped =
                api.post(
                        "/address_lineage",
                        LINEAGE.formatted(pipelineId).replace("target_table", "other_table"));
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(200);
        assertThat(json(skipped).path("lineage_relationships_created").asInt()).isZero();
        assertThat(json(api.get("/address"))).hasSize(2);
        assertThat(cluster.store.lineage().edgesOf(pipelineId)).hasSize(1);

        assertError(api.post("/address_lineage", LINEAGE.formatted(999)), 404);
        assertInvalid(
                api.post(
                        "/address_lineage",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"source_addresses\": [{\"name\":"
                                + " \"x\"}]}"),
                "address_type_name");
        assertInvalid(
                api.post(
                        "/address_lineage",
                        "{\"pipeline_id\": " + pipelineId + ", \"source_addresses\": \"x\"}"),
                "source_addresses");
    }
}

package dev.millrace.api.watcher;

import static dev.millrace.api.watcher.WatcherApiFixture.assertError;
import static dev.millrace.api.watcher.WatcherApiFixture.assertInvalid;
import static dev.millrace.api.watcher.WatcherApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.DatePart;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipelinetype.PipelineType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinesApiTest {
    @TempDir Path tmp;
    ApiTestCluster cluster;
    WatcherApiFixture api;

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
    void theReferenceExampleCreatesAPipelineResourceAndItsTypeThenFindsIt() throws Exception {
        HttpResponse<String> created = api.post("/pipeline", WatcherApiFixture.PIPELINE);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        long id = body.path("id").asLong();
        assertThat(body.path("active").asBoolean()).isTrue();
        assertThat(body.path("load_lineage").asBoolean()).isTrue();
        assertThat(body.has("watermark")).isTrue();
        assertThat(body.get("watermark").isNull()).isTrue();

        Pipeline pipeline = api.pipelineResource(id);
        assertThat(pipeline.getMetadata().getName()).isEqualTo("my-data-pipeline");
        assertThat(pipeline.getSpec().displayName).isEqualTo("my data pipeline");
        assertThat(pipeline.getSpec().freshness.number).isEqualTo(24);
        assertThat(pipeline.getSpec().freshness.datepart).isEqualTo(DatePart.HOUR);
        assertThat(pipeline.getSpec().timeliness.number).isEqualTo(2);
        assertThat(pipeline.getSpec().metadata.path("description").asText())
                .isEqualTo("Daily data extraction pipeline");
        assertThat(pipeline.getStatus().id).isEqualTo(id);
        assertThat(pipeline.getStatus().nextWatermark).isEqualTo("2024-01-02T00:00:00Z");
        PipelineType type =
                cluster.client
                        .resources(PipelineType.class)
                        .inNamespace(WatcherApiFixture.NS)
                        .withName(pipeline.getSpec().pipelineTypeRef.name)
                        .get();
        assertThat(type.getSpec().displayName).isEqualTo("extraction");

        HttpResponse<String> again =
                api.post(
                        "/pipeline",
                        "{\"name\": \"  My Data Pipeline \", \"pipeline_type_name\":"
                                + " \"extraction\", \"next_watermark\": \"2024-01-03T00:00:00Z\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("id").asLong()).isEqualTo(id);
        assertThat(api.pipelineResource(id).getStatus().nextWatermark)
                .isEqualTo("2024-01-03T00:00:00Z");
        assertThat(
                        cluster.client
                                .resources(Pipeline.class)
                                .inNamespace("default")
                                .list()
                                .getItems())
                .hasSize(1);
    }

    @Test
    void listAndGetAnswerEveryReferenceField() throws Exception {
        long first = api.created("/pipeline", WatcherApiFixture.PIPELINE, 201);
        long second = api.pipeline("another pipeline");

        HttpResponse<String> list = api.get("/pipeline");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode items = json(list);
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("id").asLong()).isEqualTo(first);
        assertThat(items.get(1).path("id").asLong()).isEqualTo(second);
        List<String> fields =
                List.of(
                        "id",
                        "name",
                        "pipeline_type_id",
                        "watermark",
                        "next_watermark",
                        "pipeline_metadata",
                        "last_target_insert",
                        "last_target_update",
                        "last_target_soft_delete",
                        "freshness_number",
                        "freshness_datepart",
                        "mute_freshness_check",
                        "timeliness_number",
                        "timeliness_datepart",
                        "mute_timeliness_check",
                        "load_lineage",
                        "active",
                        "created_at",
                        "updated_at");
        for (JsonNode item : items) {
            assertThat(item.fieldNames()).toIterable().containsExactlyElementsOf(fields);
        }
        JsonNode one = json(api.get("/pipeline/" + first));
        assertThat(one.path("name").asText()).isEqualTo("my data pipeline");
        assertThat(one.path("freshness_number").asInt()).isEqualTo(24);
        assertThat(one.path("freshness_datepart").asText()).isEqualTo("hour");
        assertThat(one.path("mute_freshness_check").asBoolean()).isFalse();
        assertThat(one.path("next_watermark").asText()).isEqualTo("2024-01-02T00:00:00Z");
        assertThat(one.path("pipeline_type_id").asLong())
                .isEqualTo(json(api.get("/pipeline/" + second)).path("pipeline_type_id").asLong())
                .isPositive();

        assertThat(assertError(api.get("/pipeline/999"), 404).asText())
                .isEqualTo("Pipeline not found");
        assertInvalid(api.get("/pipeline/abc"), "pipeline_id");
    }

    @Test
    void patchChangesTheFieldsSentAndAnswersThePipeline() throws Exception {
        long id = api.created("/pipeline", WatcherApiFixture.PIPELINE, 201);
        long other = api.created("/pipeline_type", "{\"name\": \"transformation\"}", 201);

        HttpResponse<String> patched =
                api.patch(
                        "/pipeline",
                        "{\"id\": "
                                + id
                                + ", \"name\": \"Updated Pipeline Name\","
                                + " \"pipeline_type_id\": "
                                + other
                                + ","
                                + " \"watermark\": \"2024-01-01T00:00:00Z\","
                                + " \"next_watermark\": \"2024-01-02T00:00:00Z\","
                                + " \"pipeline_metadata\": {\"environment\": \"production\"},"
                                + " \"mute_freshness_check\": true, \"timeliness_number\": 4,"
                                + " \"load_lineage\": false}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("name").asText()).isEqualTo("updated pipeline name");
        assertThat(body.path("pipeline_type_id").asLong()).isEqualTo(other);
        assertThat(body.path("watermark").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(body.path("mute_freshness_check").asBoolean()).isTrue();
        assertThat(body.path("freshness_number").asInt()).isEqualTo(24);
        assertThat(body.path("timeliness_number").asInt()).isEqualTo(4);
        assertThat(body.path("timeliness_datepart").asText()).isEqualTo("hour");
        assertThat(body.path("load_lineage").asBoolean()).isFalse();
        assertThat(body.path("updated_at").isNull()).isFalse();
        Pipeline pipeline = api.pipelineResource(id);
        assertThat(pipeline.getSpec().displayName).isEqualTo("updated pipeline name");
        assertThat(pipeline.getSpec().freshness.muted).isTrue();
        assertThat(pipeline.getSpec().metadata.path("environment").asText())
                .isEqualTo("production");
        assertThat(pipeline.getStatus().watermark).isEqualTo("2024-01-01T00:00:00Z");

        assertThat(assertError(api.patch("/pipeline", "{\"id\": 999}"), 404).asText())
                .isEqualTo("Pipeline not found");
        assertError(api.patch("/pipeline", "{\"id\": " + id + ", \"pipeline_type_id\": 999}"), 404);
        api.pipeline("taken");
        assertError(api.patch("/pipeline", "{\"id\": " + id + ", \"name\": \"taken\"}"), 400);
        assertInvalid(api.patch("/pipeline", "{\"name\": \"x\"}"), "id");
    }

    @Test
    void everyRangeAndLengthOfAPipelineIsValidatedAndNothingIsCreated() throws Exception {
        String type = "\"pipeline_type_name\": \"extraction\"";
        assertInvalid(api.post("/pipeline", "{\"name\": \"\", " + type + "}"), "name");
        assertInvalid(api.post("/pipeline", "{\"name\": \"   \", " + type + "}"), "name");
        assertInvalid(
                api.post("/pipeline", "{\"name\": \"" + "n".repeat(151) + "\", " + type + "}"),
                "name");
        assertInvalid(api.post("/pipeline", "{\"name\": \"p\"}"), "pipeline_type_name");
        assertInvalid(
                api.post(
                        "/pipeline",
                        "{\"name\": \"p\", "
                                + type
                                + ", \"next_watermark\": \""
                                + "w".repeat(51)
                                + "\"}"),
                "next_watermark");
        assertInvalid(
                api.post(
                        "/pipeline",
                        "{\"name\": \"p\", "
                                + type
                                + ", \"freshness_number\": 0,"
                                + " \"freshness_datepart\": \"hour\"}"),
                "freshness_number");
        assertInvalid(
                api.post(
                        "/pipeline",
                        "{\"name\": \"p\", "
                                + type
                                + ", \"freshness_number\": 1,"
                                + " \"freshness_datepart\": \"quarter\"}"),
                "freshness_datepart");
        assertInvalid(
                api.post("/pipeline", "{\"name\": \"p\", " + type + ", \"timeliness_number\": 3}"),
                "timeliness_datepart");
        assertInvalid(api.post("/pipeline", "{\"name\": 5, " + type + "}"), "name");
        assertInvalid(api.post("/pipeline", "[1]"), "body");
        assertInvalid(api.post("/pipeline", "{"), "body");

        assertThat(
                        cluster.client
                                .resources(Pipeline.class)
                                .inNamespace("default")
                                .list()
                                .getItems())
                .isEmpty();
        assertThat(
                        cluster.client
                                .resources(PipelineType.class)
                                .inNamespace("default")
                                .list()
                                .getItems())
                .isEmpty();
        // 150 characters and a 50-character watermark are in range; MINUTE is a date part.
        api.created(
                "/pipeline",
                "{\"name\": \""
                        + "n".repeat(150)
                        + "\", "
                        + type
                        + ", \"next_watermark\": \""
                        + "w".repeat(50)
                        + "\", \"freshness_number\": 5,"
                        + " \"freshness_datepart\": \"MINUTE\"}",
                201);
    }

    @Test
    void pipelineTypesUpsertByNameAndAnswerTheirThresholds() throws Exception {
        HttpResponse<String> created =
                api.post(
                        "/pipeline_type",
                        "{\"name\": \"Extraction\", \"freshness_number\": 24,"
                                + " \"freshness_datepart\": \"hour\", \"mute_freshness_check\":"
                                + " false, \"timeliness_number\": 2, \"timeliness_datepart\":"
                                + " \"hour\", \"mute_timeliness_check\": true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json(created).path("id").asLong();
        assertThat(api.created("/pipeline_type", "{\"name\": \" extraction\"}", 200)).isEqualTo(id);

        JsonNode list = json(api.get("/pipeline_type"));
        assertThat(list).hasSize(1);
        JsonNode type = json(api.get("/pipeline_type/" + id));
        assertThat(type).isEqualTo(list.get(0));
        assertThat(type.path("name").asText()).isEqualTo("extraction");
        assertThat(type.path("freshness_number").asInt()).isEqualTo(24);
        assertThat(type.path("mute_freshness_check").asBoolean()).isFalse();
        assertThat(type.path("timeliness_datepart").asText()).isEqualTo("hour");
        assertThat(type.path("mute_timeliness_check").asBoolean()).isTrue();
        assertThat(type.path("created_at").asText()).isNotBlank();

        assertThat(assertError(api.get("/pipeline_type/999"), 404).asText())
                .isEqualTo("Pipeline type not found");
        assertInvalid(api.post("/pipeline_type", "{}"), "name");
        assertInvalid(
                api.post("/pipeline_type", "{\"name\": \"t\", \"mute_freshness_check\": true}"),
                "mute_freshness_check");
        assertInvalid(
                api.post(
                        "/pipeline_type",
                        "{\"name\": \"t\", \"timeliness_number\": -1,"
                                + " \"timeliness_datepart\": \"day\"}"),
                "timeliness_number");
        assertThat(json(api.get("/pipeline_type"))).hasSize(1);
    }
}

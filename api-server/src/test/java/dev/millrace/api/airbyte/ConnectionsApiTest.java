package dev.millrace.api.airbyte;

import static dev.millrace.api.airbyte.PublicApiFixture.assertError;
import static dev.millrace.api.airbyte.PublicApiFixture.id;
import static dev.millrace.api.airbyte.PublicApiFixture.json;
import static dev.millrace.api.airbyte.PublicApiFixture.ns;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ScheduleType;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.Source;
import io.fabric8.kubernetes.api.model.Namespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsApiTest {
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

    private static String path(Connection c) {
        return "/connections/" + c.getMetadata().getUid();
    }

    @Test
    void getConnectionAnswersTheReferenceShape() throws Exception {
        Namespace ws = api.workspace();
        Source source = api.source(ws, "orders", null);
        Destination destination = api.destination(ws, "warehouse");
        Connection c = api.connection(ws, "orders-to-warehouse", "orders", "warehouse");

        var response = api.get(path(c));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("connectionId").asText()).isEqualTo(c.getMetadata().getUid());
        assertThat(body.path("name").asText()).isEqualTo("orders-to-warehouse");
        assertThat(body.path("sourceId").asText()).isEqualTo(source.getMetadata().getUid());
        assertThat(body.path("destinationId").asText())
                .isEqualTo(destination.getMetadata().getUid());
        assertThat(body.path("workspaceId").asText()).isEqualTo(id(ws));
        assertThat(body.path("status").asText()).isEqualTo("active");
        assertThat(body.path("schedule").path("scheduleType").asText()).isEqualTo("basic");
        assertThat(body.path("schedule").path("basicTiming").asText()).isEqualTo("every_24_hours");
        JsonNode stream = body.path("configurations").path("streams").get(0);
        assertThat(stream.path("name").asText()).isEqualTo("users");
        assertThat(stream.path("syncMode").asText()).isEqualTo("full_refresh_overwrite");
        assertThat(stream.path("cursorField").toString()).isEqualTo("[\"updated_at\"]");
        assertThat(stream.path("primaryKey").toString()).isEqualTo("[[\"id\"]]");

        assertThat(assertError(api.get("/connections/" + UUID.randomUUID()), 404))
                .contains("not found");
        assertError(api.get("/connections/d4e5f6a7"), 400);
    }

    @Test
    void listConnectionsFiltersByWorkspaceAndPages() throws Exception {
        Namespace ws = api.workspace();
        api.source(ws, "orders", null);
        api.destination(ws, "warehouse");
        api.connection(ws, "a-orders", "orders", "warehouse");
        api.connection(ws, "b-orders", "orders", "warehouse");
        api.connectionWithEnds(api.workspace());

        JsonNode page = json(api.get("/connections?workspaceIds=" + id(ws) + "&limit=1&offset=1"));

        assertThat(page.path("data")).hasSize(1);
        assertThat(page.path("data").get(0).path("name").asText()).isEqualTo("b-orders");
        assertThat(page.path("next").asText()).isEmpty();
        assertThat(page.path("previous").asText()).contains("offset=0").contains("limit=1");
        assertError(api.get("/connections?limit=-1"), 400);
        assertError(api.get("/connections?workspaceIds=" + id(ws) + ",bad"), 400);
    }

    @Test
    void patchChangesTheScheduleAsInTheReferenceExample() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());

        var response =
                api.patch(
                        path(c),
                        "{\"schedule\": {\"scheduleType\": \"basic\", \"basicTiming\":"
                                + " \"every_12_hours\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("schedule").path("basicTiming").asText())
                .isEqualTo("every_12_hours");
        Connection after = api.reread(c);
        assertThat(after.getSpec().schedule.scheduleType).isEqualTo(ScheduleType.BASIC);
        assertThat(after.getSpec().schedule.basicTiming).isEqualTo("every_12_hours");
        assertThat(after.getSpec().streams).hasSize(1);

        var cron =
                api.patch(
                        path(c),
                        "{\"schedule\": {\"scheduleType\": \"cron\", \"cronExpression\": \"0 3 * *"
                                + " *\", \"timeZone\": \"Europe/Berlin\"}}");
        assertThat(cron.statusCode()).as(cron.body()).isEqualTo(200);
        assertThat(api.reread(c).getSpec().schedule.basicTiming).isNull();
        assertThat(api.reread(c).getSpec().schedule.cronExpression).isEqualTo("0 3 * * *");
        assertThat(json(cron).path("schedule").path("timeZone").asText())
                .isEqualTo("Europe/Berlin");
    }

    @Test
    void patchStatusInactiveSuspendsTheConnectionAndActiveResumesIt() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());

        var inactive = api.patch(path(c), "{\"status\": \"inactive\"}");
        assertThat(inactive.statusCode()).isEqualTo(200);
        assertThat(json(inactive).path("status").asText()).isEqualTo("inactive");
        assertThat(api.reread(c).getSpec().suspend).isTrue();

        api.patch(path(c), "{\"status\": \"active\"}");
        assertThat(api.reread(c).getSpec().suspend).isFalse();
    }

    @Test
    void patchStreamsMapsAirbyteFieldPathsToColumns() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());

        var response =
                api.patch(
                        path(c),
                        "{\"configurations\": {\"streams\": [{\"name\": \"events\", \"syncMode\":"
                            + " \"incremental_deduped_history\", \"cursorField\": [\"created_at\"],"
                            + " \"primaryKey\": [[\"event_id\"], [\"region\"]]}]}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var streams = api.reread(c).getSpec().streams;
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).name).isEqualTo("events");
        assertThat(streams.get(0).syncMode).isEqualTo(SyncMode.INCREMENTAL_DEDUPED_HISTORY);
        assertThat(streams.get(0).cursorField).isEqualTo("created_at");
        assertThat(streams.get(0).primaryKey).containsExactly("event_id", "region");
        assertThat(
                        json(response)
                                .path("configurations")
                                .path("streams")
                                .get(0)
                                .path("primaryKey")
                                .toString())
                .isEqualTo("[[\"event_id\"],[\"region\"]]");
    }

    @Test
    void badPatchesAreRejectedWithReasonsAndChangeNothing() throws Exception {
        Namespace ws = api.workspace();
        Connection c = api.connectionWithEnds(ws);
        List<String> before = api.snapshot(ws);
        String streams = "{\"configurations\": {\"streams\": [";

        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        streams
                                                + "{\"name\": \"u\", \"cursorField\": [\"a\","
                                                + " \"b\"]}]}}"),
                                400))
                .contains("nested");
        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        streams
                                                + "{\"name\": \"u\", \"primaryKey\": [[\"a\","
                                                + " \"b\"]]}]}}"),
                                400))
                .contains("nested");
        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        streams
                                                + "{\"name\": \"u\", \"syncMode\":"
                                                + " \"sometimes\"}]}}"),
                                400))
                .contains("spec.streams[0].syncMode: Unsupported value");
        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        streams
                                                + "{\"name\": \"u\", \"syncMode\":"
                                                + " \"incremental_deduped_history\"}]}}"),
                                400))
                .contains("primaryKey is required");
        assertError(
                api.patch(path(c), streams + "{\"syncMode\": \"full_refresh_append\"}]}}"), 400);
        assertError(
                api.patch(
                        path(c), streams + "{\"name\": \"u\", \"cursorField\": \"updated_at\"}]}}"),
                400);
        assertError(
                api.patch(path(c), streams + "{\"name\": \"u\", \"selectedFields\": []}]}}"), 400);
        assertThat(
                        assertError(
                                api.patch(path(c), "{\"schedule\": {\"scheduleType\": \"basic\"}}"),
                                400))
                .contains("basicTiming is required");
        assertError(
                api.patch(
                        path(c),
                        "{\"schedule\": {\"scheduleType\": \"basic\", \"basicTiming\":"
                                + " \"every_3_days\"}}"),
                400);
        assertError(api.patch(path(c), "{\"schedule\": {\"scheduleType\": \"hourly\"}}"), 400);
        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        "{\"schedule\": {\"scheduleType\": \"cron\","
                                                + " \"cronExpression\": \"61 * * * *\"}}"),
                                400))
                .contains("not a valid cron expression");
        assertThat(
                        assertError(
                                api.patch(
                                        path(c),
                                        "{\"schedule\": {\"scheduleType\": \"cron\","
                                                + " \"cronExpression\": \"0 3 * * *\","
                                                + " \"timeZone\": \"Mars/Olympus\"}}"),
                                400))
                .contains("not a time zone");
        assertError(
                api.patch(path(c), "{\"schedule\": {\"basicTiming\": \"every_1_hours\"}}"), 400);
        assertError(api.patch(path(c), "{\"status\": \"deprecated\"}"), 400);
        assertError(api.patch(path(c), "{\"status\": true}"), 400);
        assertError(api.patch(path(c), "{\"namespaceFormat\": \"x\"}"), 400);
        assertError(api.patch(path(c), "{\"schedule\": \"daily\"}"), 400);
        assertError(api.patch(path(c), "{broken"), 400);
        assertError(
                api.patch("/connections/" + UUID.randomUUID(), "{\"status\": \"inactive\"}"), 404);
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }

    @Test
    void createConnectsASourceToADestinationOfTheSameWorkspace() throws Exception {
        Namespace ws = api.workspace();
        Source source = api.source(ws, "orders", "Orders");
        Destination destination = api.destination(ws, "warehouse");

        var response =
                api.post(
                        "/connections",
                        "{\"sourceId\": \""
                                + source.getMetadata().getUid()
                                + "\", \"destinationId\": \""
                                + destination.getMetadata().getUid()
                                + "\", \"status\": \"inactive\", \"schedule\": {\"scheduleType\":"
                                + " \"manual\"}, \"configurations\": {\"streams\": [{\"name\":"
                                + " \"orders\", \"syncMode\": \"incremental_append\","
                                + " \"cursorField\": [\"updated_at\"]}]}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("name").asText()).isEqualTo("Orders → warehouse");
        Connection created =
                cluster.client
                        .resources(Connection.class)
                        .inNamespace(ns(ws))
                        .withName("orders-warehouse")
                        .get();
        assertThat(created.getMetadata().getUid()).isEqualTo(body.path("connectionId").asText());
        assertThat(created.getSpec().sourceRef.name).isEqualTo("orders");
        assertThat(created.getSpec().destinationRef.name).isEqualTo("warehouse");
        assertThat(created.getSpec().suspend).isTrue();
        assertThat(created.getSpec().streams.get(0).cursorField).isEqualTo("updated_at");
    }

    @Test
    void badCreationsAreRejectedAndCreateNothing() throws Exception {
        Namespace ws = api.workspace();
        Source source = api.source(ws, "orders", null);
        Destination elsewhere = api.destination(api.workspace(), "warehouse");
        Destination here = api.destination(ws, "warehouse");
        List<String> before = api.snapshot(ws);
        String src = source.getMetadata().getUid();

        assertThat(
                        assertError(
                                api.post(
                                        "/connections",
                                        "{\"sourceId\": \""
                                                + src
                                                + "\", \"destinationId\": \""
                                                + elsewhere.getMetadata().getUid()
                                                + "\"}"),
                                400))
                .contains("same workspace");
        assertError(api.post("/connections", "{\"sourceId\": \"" + src + "\"}"), 400);
        assertError(api.post("/connections", "{\"sourceId\": 1, \"destinationId\": 2}"), 400);
        assertError(
                api.post(
                        "/connections",
                        "{\"sourceId\": \""
                                + UUID.randomUUID()
                                + "\", \"destinationId\": \""
                                + here.getMetadata().getUid()
                                + "\"}"),
                404);
        assertError(
                api.post(
                        "/connections",
                        "{\"sourceId\": \""
                                + src
                                + "\", \"destinationId\": \""
                                + here.getMetadata().getUid()
                                + "\", \"prefix\": \"raw\"}"),
                400);
        assertError(api.post("/connections", ""), 400);
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }

    @Test
    void deleteRemovesAnIdleConnectionButNotOneWithARequestedSync() throws Exception {
        Namespace ws = api.workspace();
        Connection idle = api.connectionWithEnds(ws);
        Connection requested = api.connection(ws, "requested", "orders", "warehouse");
        requested.getMetadata().setAnnotations(Map.of(MillraceApi.SYNC_ANNOTATION, "r1"));
        cluster.client.resource(requested).update();

        assertThat(assertError(api.delete(path(requested)), 409)).contains("cancel");
        assertThat(api.reread(requested)).isNotNull();

        assertThat(api.delete(path(idle)).statusCode()).isEqualTo(204);
        assertThat(api.reread(idle)).isNull();
        assertError(api.delete(path(idle)), 404);
        assertError(api.delete("/connections/not-a-uuid"), 400);
    }
}

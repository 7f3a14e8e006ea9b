package dev.millrace.api.airbyte;

import static dev.millrace.api.airbyte.PublicApiFixture.assertError;
import static dev.millrace.api.airbyte.PublicApiFixture.id;
import static dev.millrace.api.airbyte.PublicApiFixture.json;
import static dev.millrace.api.airbyte.PublicApiFixture.ns;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.millrace.api.ApiTestCluster;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspaces, and what holds for the whole family: paging, errors, the OpenAPI fragment. */
class WorkspacesAndFamilyApiTest {
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

    @Test
    void listWorkspacesShowsEveryNamespaceWithItsUidAsWorkspaceId() throws Exception {
        Namespace ws = api.workspace();

        var response = api.get("/workspaces");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).path("data");
        assertThat(data.isArray()).isTrue();
        assertThat(data.findValuesAsText("name")).contains(ApiTestCluster.NS, ns(ws));
        JsonNode mine = null;
        for (JsonNode w : data) {
            if (w.path("name").asText().equals(ns(ws))) {
                mine = w;
            }
        }
        assertThat(mine.path("workspaceId").asText()).isEqualTo(id(ws));
    }

    @Test
    void getWorkspaceByIdAnswersItsNameAndRejectsUnknownAndMalformedIds() throws Exception {
        Namespace ws = api.workspace();

        var found = api.get("/workspaces/" + id(ws));
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).path("workspaceId").asText()).isEqualTo(id(ws));
        assertThat(json(found).path("name").asText()).isEqualTo(ns(ws));

        assertThat(assertError(api.get("/workspaces/" + UUID.randomUUID()), 404))
                .contains("not found");
        assertError(api.get("/workspaces/not-a-uuid"), 400);
    }

    @Test
    void workspaceListPagesWithNextAndPreviousUrlsAndFiltersByWorkspaceIds() throws Exception {
        Namespace a = api.workspace();
        Namespace b = api.workspace();
        String filter = "workspaceIds=" + id(a) + "," + id(b);

        JsonNode first = json(api.get("/workspaces?" + filter + "&limit=1"));
        assertThat(first.path("data")).hasSize(1);
        assertThat(first.path("data").get(0).path("name").asText()).isEqualTo(ns(a));
        assertThat(first.path("previous").asText()).isEmpty();
        URI next = URI.create(first.path("next").asText());
        assertThat(next.getPath()).isEqualTo("/api/public/v1/workspaces");
        assertThat(next.getQuery()).contains("limit=1").contains("offset=1").contains(id(a));

        JsonNode second = json(cluster.get(next.getRawPath() + "?" + next.getRawQuery()));
        assertThat(second.path("data").get(0).path("name").asText()).isEqualTo(ns(b));
        assertThat(second.path("next").asText()).isEmpty();
        assertThat(URI.create(second.path("previous").asText()).getQuery()).contains("offset=0");
    }

    @Test
    void outOfRangeOrNonNumericPagingAndMalformedWorkspaceIdsAreBadRequests() throws Exception {
        for (String query :
                new String[] {"limit=0", "limit=101", "limit=abc", "offset=-1", "offset=1.5"}) {
            assertThat(assertError(api.get("/workspaces?" + query), 400)).as(query).isNotBlank();
        }
        assertError(api.get("/workspaces?workspaceIds=nope"), 400);
        assertError(api.get("/workspaces?workspaceIds=" + UUID.randomUUID()), 404);
    }

    @Test
    void aNamespaceWithoutUidGetsTheNameBasedUuidOfItsName() {
        Namespace noUid =
                new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build();

        assertThat(Workspaces.idOf(noUid))
                .isEqualTo(
                        UUID.nameUUIDFromBytes("team-a".getBytes(StandardCharsets.UTF_8))
                                .toString());
    }

    @Test
    void anUnknownPublicPathAnswersInTheFamilyErrorFormat() throws Exception {
        assertError(api.get("/no-such-thing"), 404);
    }

    @Test
    void everyOperationOfTheOpenApiFragmentIsServed() throws Exception {
        JsonNode paths;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("openapi/public.yaml")) {
            paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
        }
        int operations = 0;
        for (var path = paths.fields(); path.hasNext(); ) {
            var entry = path.next();
            // A malformed id in every path parameter: served operations answer 400, not 404.
            String route =
                    entry.getKey()
                            .replaceAll("\\{[^}]+}", "x")
                            .substring(PublicApiFixture.BASE.length());
            for (var op = entry.getValue().fieldNames(); op.hasNext(); ) {
                String method = op.next();
                if (method.equals("parameters")) {
                    continue;
                }
                operations++;
                HttpResponse<String> response =
                        switch (method) {
                            case "get" -> api.get(route);
                            case "post" -> api.post(route, "{}");
                            case "patch" -> api.patch(route, "{}");
                            case "put" -> api.put(route, "{}");
                            case "delete" -> api.delete(route);
                            default -> throw new AssertionError(method);
                        };
                assertThat(response.statusCode()).as(method + " " + route).isIn(200, 400);
            }
        }
        assertThat(operations).isEqualTo(23);
    }
}

package dev.millrace.api.platform;

import static dev.millrace.api.platform.PlatformFixtures.connection;
import static dev.millrace.api.platform.PlatformFixtures.csvSource;
import static dev.millrace.api.platform.PlatformFixtures.fetchConnection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFolderWatcherTest {
    @TempDir Path tmp;
    private ApiTestCluster cluster;
    private ApiServer watching;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        Files.createDirectories(tmp.resolve("files/sales"));
        csvSource(cluster, "sales", "sales");
        connection(cluster, "sales-to-warehouse", "sales");
        watching =
                PlatformFixtures.serverWith(
                        cluster,
                        tmp,
                        s ->
                                PlatformFixtures.with(
                                        s,
                                        null,
                                        null,
                                        Duration.ofMillis(300),
                                        s.uploadLimitBytes()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                PlatformFixtures.send(
                                                                watching.baseUrl(),
                                                                "GET",
                                                                "/api/watcher/status")
                                                        .body())
                                        .contains("files/sales"));
    }

    @AfterEach
    void stop() {
        if (watching != null) {
            watching.close();
        }
        cluster.close();
    }

    private Map<String, String> annotations() {
        Connection c = fetchConnection(cluster, "sales-to-warehouse");
        return c.getMetadata().getAnnotations() == null
                ? Map.of()
                : c.getMetadata().getAnnotations();
    }

    @Test
    void aNewCsvFileInTheSourceFolderRequestsASyncAfterTheQuietPeriod() throws Exception {
        Files.writeString(tmp.resolve("files/sales/2025.csv"), "id\n1\n");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> annotations().containsKey(MillraceApi.SYNC_ANNOTATION));
        assertThat(annotations().get(MillraceApi.SYNC_OPTIONS_ANNOTATION))
                .contains("\"fullRefresh\":false");
    }

    @Test
    void aChangeWhileASyncIsRequestedIsSyncedOnceThatRequestIsTaken() throws Exception {
        new dev.millrace.api.kube.Annotator(cluster.client)
                .annotate(
                        fetchConnection(cluster, "sales-to-warehouse"),
                        Map.of(MillraceApi.SYNC_ANNOTATION, "earlier-request"));

        Files.writeString(tmp.resolve("files/sales/2025.csv"), "id\n1\n");
        // Well past the quiet period, the pending request is left alone...
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(
                        () ->
                                "earlier-request"
                                        .equals(annotations().get(MillraceApi.SYNC_ANNOTATION)));
        // ...until the operator takes the earlier request: the annotation goes, as it does once the
        // Job exists.
        Connection c = fetchConnection(cluster, "sales-to-warehouse");
        c.getMetadata().getAnnotations().remove(MillraceApi.SYNC_ANNOTATION);
        cluster.client.resource(c).update();

        await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> {
                            String id = annotations().get(MillraceApi.SYNC_ANNOTATION);
                            return id != null && !id.equals("earlier-request");
                        });
    }
}

package dev.millrace.api.platform;

import static dev.millrace.api.platform.PlatformFixtures.connection;
import static dev.millrace.api.platform.PlatformFixtures.csvSource;
import static dev.millrace.api.platform.PlatformFixtures.send;
import static dev.millrace.api.platform.PlatformFixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformEventsWsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private ApiTestCluster cluster;
    private WebSocket socket;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        csvSource(cluster, "sales", "sales");
        connection(cluster, "sales-to-warehouse", "sales");
        socket =
                PlatformFixtures.HTTP
                        .newWebSocketBuilder()
                        .buildAsync(
                                URI.create(cluster.server.baseUrl().replace("http", "ws") + "/ws"),
                                new WebSocket.Listener() {
                                    private final StringBuilder text = new StringBuilder();

                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket ws, CharSequence data, boolean last) {
                                        text.append(data);
                                        if (last) {
                                            try {
                                                received.add(JSON.readTree(text.toString()));
                                            } catch (Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                            text.setLength(0);
                                        }
                                        ws.request(1);
                                        return null;
                                    }
                                })
                        .get();
    }

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.abort();
        }
        cluster.close();
    }

    private JsonNode awaitEvent(String event) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                received.stream()
                                        .filter(m -> m.path("event").asText().equals(event))
                                        .findFirst()
                                        .orElse(null),
                        m -> m != null);
    }

    private void lastJob(long id, String status, Long rows, String error) {
        Connection c = PlatformFixtures.fetchConnection(cluster, "sales-to-warehouse");
        c.setStatus(new ConnectionStatus());
        c.getStatus().lastJob = new ConnectionStatus.JobSummary();
        c.getStatus().lastJob.id = id;
        c.getStatus().lastJob.status = status;
        c.getStatus().lastJob.rowsSynced = rows;
        c.getStatus().lastJob.error = error;
        cluster.client.resource(c).updateStatus();
    }

    @Test
    void csvUploadsAndDeletesAreAnnouncedWithEventAndTypeKeys() throws Exception {
        assertThat(
                        upload(
                                        cluster.server.baseUrl(),
                                        "/api/sources/sales/upload-csv",
                                        "file",
                                        "q1.csv",
                                        "a\n1\n")
                                .statusCode())
                .isEqualTo(200);
        JsonNode uploaded = awaitEvent("csv_uploaded");
        assertThat(uploaded.path("type").asText()).isEqualTo("csv_uploaded");
        assertThat(uploaded.path("source").asText()).isEqualTo("sales");
        assertThat(uploaded.path("file").asText()).isEqualTo("q1.csv");
        assertThat(Instant.parse(uploaded.path("timestamp").asText())).isNotNull();

        assertThat(
                        send(
                                        cluster.server.baseUrl(),
                                        "DELETE",
                                        "/api/sources/sales/csv-files?file_path=q1.csv")
                                .statusCode())
                .isEqualTo(200);
        JsonNode deleted = awaitEvent("csv_deleted");
        assertThat(deleted.path("type").asText()).isEqualTo("csv_deleted");
        assertThat(deleted.path("file").asText()).isEqualTo("q1.csv");
    }

    @Test
    void jobTransitionsOfAConnectionBecomeSyncEventsOfItsSource() throws Exception {
        // The informer must know the Connection before a change of it is a transition.
        lastJob(1, "succeeded", 5L, null);
        awaitEvent("sync_completed");
        received.clear();

        lastJob(2, "pending", null, null);
        JsonNode started = awaitEvent("sync_started");
        assertThat(started.path("type").asText()).isEqualTo("sync_started");
        assertThat(started.path("source").asText()).isEqualTo("sales");

        lastJob(2, "running", null, null);
        lastJob(2, "succeeded", 1523L, null);
        JsonNode completed = awaitEvent("sync_completed");
        assertThat(completed.path("rows").asLong()).isEqualTo(1523);
        assertThat(completed.path("source").asText()).isEqualTo("sales");
        assertThat(received.stream().filter(m -> m.path("event").asText().equals("sync_started")))
                .hasSize(1);

        lastJob(3, "running", null, null);
        lastJob(3, "failed", 0L, "file is malformed");
        JsonNode failed = awaitEvent("sync_failed");
        assertThat(failed.path("type").asText()).isEqualTo("sync_failed");
        assertThat(failed.path("error").asText()).isEqualTo("file is malformed");
    }

    @Test
    void progressReportsOfARunningJobBecomeSyncProgressEvents() throws Exception {
        lastJob(1, "succeeded", 5L, null);
        awaitEvent("sync_completed");
        received.clear();

        lastJob(2, "running", null, null);
        awaitEvent("sync_started");
        Connection c = PlatformFixtures.fetchConnection(cluster, "sales-to-warehouse");
        c.getStatus().lastJob.attempt = 2;
        c.getStatus().lastJob.progress = new ConnectionStatus.JobProgress();
        c.getStatus().lastJob.progress.stream = "sales";
        c.getStatus().lastJob.progress.rows = 4000L;
        c.getStatus().lastJob.progress.bytes = 120_000L;
        c.getStatus().lastJob.progress.updatedAt = "2026-11-22T06:30:00.100Z";
        cluster.client.resource(c).updateStatus();

        JsonNode progress = awaitEvent("sync_progress");
        assertThat(progress.path("type").asText()).isEqualTo("sync_progress");
        assertThat(progress.path("source").asText()).isEqualTo("sales");
        assertThat(progress.path("job_id").asLong()).isEqualTo(2);
        assertThat(progress.path("attempt").asInt()).isEqualTo(2);
        assertThat(progress.path("stream").asText()).isEqualTo("sales");
        assertThat(progress.path("rows").asLong()).isEqualTo(4000);
        assertThat(progress.path("bytes").asLong()).isEqualTo(120_000);
    }
}

package dev.millrace.api.watcher;

import static dev.millrace.api.watcher.WatcherApiFixture.assertInvalid;
import static dev.millrace.api.watcher.WatcherApiFixture.eventually;
import static dev.millrace.api.watcher.WatcherApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringApiTest {
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
    void timelinessIsQueuedAndLogsAnExecutionRunningPastItsThreshold() throws Exception {
        long late =
                api.created(
                        "/pipeline",
                        "{\"name\": \"late\", \"pipeline_type_name\": \"t\","
                                + " \"timeliness_number\": 5, \"timeliness_datepart\": \"minute\"}",
                        201);
        long muted =
                api.created(
                        "/pipeline",
                        "{\"name\": \"muted\", \"pipeline_type_name\": \"t\","
                                + " \"timeliness_number\": 5, \"timeliness_datepart\": \"minute\"}",
                        201);
        api.patch("/pipeline", "{\"id\": " + muted + ", \"mute_timeliness_check\": true}");
        Instant start = Instant.now().minus(Duration.ofMinutes(20));
        api.start(late, start);
        api.start(muted, start);

        HttpResponse<String> queued = api.post("/timeliness", "{\"lookback_minutes\": 60}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(200);
        assertThat(json(queued).path("status").asText()).isEqualTo("queued");

        eventually(
                "the late execution is logged",
                () -> cluster.store.checks().timelinessLogCount(late) == 1);
        assertThat(cluster.store.checks().timelinessLogCount(muted)).isZero();
        assertInvalid(api.post("/timeliness", "{\"lookback_minutes\": 4}"), "lookback_minutes");
        // Without a body the reference's default lookback applies.
        assertThat(json(api.post("/timeliness", null)).path("status").asText()).isEqualTo("queued");
    }

    @Test
    void freshnessIsQueuedAndLogsAPipelineWhoseTargetIsStale() throws Exception {
        long stale =
                api.created(
                        "/pipeline",
                        "{\"name\": \"stale\", \"pipeline_type_name\": \"t\","
                                + " \"freshness_number\": 1, \"freshness_datepart\": \"hour\"}",
                        201);
        long fresh =
                api.created(
                        "/pipeline",
                        "{\"name\": \"fresh\", \"pipeline_type_name\": \"t\","
                                + " \"freshness_number\": 1, \"freshness_datepart\": \"day\"}",
                        201);
        Instant start = Instant.now().minus(Duration.ofHours(3));
        api.end(api.start(stale, start), start.plusSeconds(60), 10);
        api.end(api.start(fresh, start), start.plusSeconds(60), 10);

        HttpResponse<String> queued = api.post("/freshness", null);
        assertThat(json(queued).path("status").asText()).isEqualTo("queued");

        eventually(
                "the stale pipeline is logged",
                () -> cluster.store.checks().freshnessLogCount(stale) == 1);
        assertThat(cluster.store.checks().freshnessLogCount(fresh)).isZero();
    }

    @Test
    void logCleanupKeepsAtLeastNinetyDaysAndCountsWhatItDeleted() throws Exception {
        long pipeline = api.pipeline("p");
        Instant old = Instant.now().minus(Duration.ofDays(120));
        long parent = api.start(pipeline, old);
        api.created(
                "/start_pipeline_execution",
                "{\"pipeline_id\": "
                        + pipeline
                        + ", \"start_date\": \""
                        + old.plusSeconds(1)
                        + "\", \"parent_id\": "
                        + parent
                        + "}",
                201);
        long recent = api.start(pipeline, Instant.now().minus(Duration.ofDays(1)));

        assertInvalid(api.post("/log_cleanup", "{\"retention_days\": 89}"), "retention_days");
        assertInvalid(api.post("/log_cleanup", "{}"), "retention_days");
        assertInvalid(
                api.post("/log_cleanup", "{\"retention_days\": 90, \"batch_size\": 0}"),
                "batch_size");
        assertThat(cluster.store.executions().countOfPipeline(pipeline)).isEqualTo(3);

        HttpResponse<String> cleaned =
                api.post("/log_cleanup", "{\"retention_days\": 90, \"batch_size\": 1}");
        assertThat(cleaned.statusCode()).as(cleaned.body()).isEqualTo(200);
        JsonNode counts = json(cleaned);
        assertThat(counts.path("total_pipeline_executions_deleted").asLong()).isEqualTo(2);
        assertThat(
                        counts.path("total_pipeline_execution_closure_parent_deleted").asLong()
                                + counts.path("total_pipeline_execution_closure_child_deleted")
                                        .asLong())
                .isEqualTo(3);
        assertThat(counts.path("total_anomaly_detection_results_deleted").asLong()).isZero();
        assertThat(counts.path("total_timeliness_pipeline_execution_logs_deleted").asLong())
                .isZero();
        assertThat(counts.path("total_freshness_pipeline_logs_deleted").asLong()).isZero();
        assertThat(cluster.store.executions().countOfPipeline(pipeline)).isEqualTo(1);
        assertThat(cluster.store.executions().find(recent)).isPresent();
    }

    @Test
    void theQueueIsMillracesPendingAndQueuedJobsWithWarningAtFiftyAndCriticalAtAHundred()
            throws Exception {
        JsonNode empty = json(api.post("/celery/monitor-queue", null));
        assertThat(empty.path("status").asText()).isEqualTo("success");
        assertThat(empty.path("queue_depth").asLong()).isZero();
        assertThat(empty.path("alert").isNull()).isTrue();

        for (int i = 0; i < 49; i++) {
            job(i);
        }
        JsonNode below = json(api.post("/celery/monitor-queue", null));
        assertThat(below.path("queue_depth").asLong()).isEqualTo(49);
        assertThat(below.path("alert").isNull()).isTrue();

        cluster.store.markQueued(job(49).id());
        JsonNode warning = json(api.post("/celery/monitor-queue", null));
        assertThat(warning.path("queue_depth").asLong()).isEqualTo(50);
        assertThat(warning.path("queued").asLong()).isEqualTo(1);
        assertThat(warning.path("alert").asText()).isEqualTo("WARNING");

        // A running job is no longer waiting.
        JobRecord running = job(50);
        cluster.store.markRunning(running.id(), Instant.now());
        for (int i = 51; i < 101; i++) {
            job(i);
        }
        JsonNode critical = json(api.post("/celery/monitor-queue", null));
        assertThat(critical.path("queue_depth").asLong()).isEqualTo(100);
        assertThat(critical.path("alert").asText()).isEqualTo("CRITICAL");
    }

    @Test
    void aQueueThatCannotBeMeasuredIsAnsweredAsTheReferencesError() throws Exception {
        cluster.store.close();

        HttpResponse<String> response = api.post("/celery/monitor-queue", null);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).path("status").asText()).isEqualTo("error");
    }

    private JobRecord job(int n) {
        return cluster.store.allocateJob(
                new JobRequest(
                        "default",
                        "orders",
                        "uid-orders",
                        "orders",
                        "manual:" + n,
                        JobType.SYNC,
                        false));
    }
}

package dev.millrace.api.airbyte;

import static dev.millrace.api.airbyte.PublicApiFixture.assertError;
import static dev.millrace.api.airbyte.PublicApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.JobNames;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsApiTest {
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

    private static String uid(Connection c) {
        return c.getMetadata().getUid();
    }

    private static String trigger(Connection c, String type) {
        return "{\"connectionId\": \"" + uid(c) + "\", \"jobType\": \"" + type + "\"}";
    }

    /** A job the operator would have recorded: allocated, then moved to {@code status}. */
    private JobRecord recorded(Connection c, JobType type, JobStatus status, long rows) {
        JobRecord r =
                cluster.store.allocateJob(
                        new JobRequest(
                                c.getMetadata().getNamespace(),
                                c.getMetadata().getName(),
                                uid(c),
                                c.getSpec().sourceRef.name,
                                "schedule:" + UUID.randomUUID(),
                                type,
                                type == JobType.RESET));
        if (status != JobStatus.PENDING) {
            cluster.store.markRunning(r.id(), Instant.parse("2030-01-01T08:00:05Z"));
        }
        if (status.isTerminal()) {
            cluster.store.complete(
                    r.id(),
                    status,
                    Instant.parse("2030-01-01T08:01:00Z"),
                    rows,
                    rows * 100,
                    null,
                    null);
        }
        return cluster.store.findJob(r.id()).orElseThrow();
    }

    private static Map<String, String> annotations(Connection c) {
        Map<String, String> a = c.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    @Test
    void postingASyncAllocatesAPendingJobAndRequestsItFromTheOperator() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());

        var response = api.post("/jobs", trigger(c, "sync"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("pending");
        assertThat(body.path("jobType").asText()).isEqualTo("sync");
        assertThat(body.path("connectionId").asText()).isEqualTo(uid(c));
        assertThat(body.path("jobId").isTextual()).isTrue();
        assertThat(Long.parseLong(body.path("createdAt").asText())).isPositive();
        JobRecord record =
                cluster.store.findJob(Long.parseLong(body.path("jobId").asText())).orElseThrow();
        assertThat(record.status()).isEqualTo(JobStatus.PENDING);
        assertThat(record.type()).isEqualTo(JobType.SYNC);
        assertThat(record.fullRefresh()).isFalse();
        assertThat(record.createdAt().toEpochMilli())
                .isEqualTo(Long.parseLong(body.path("createdAt").asText()));
        Map<String, String> annotations = annotations(api.reread(c));
        assertThat("manual:" + annotations.get(MillraceApi.SYNC_ANNOTATION))
                .isEqualTo(record.requestKey());
        assertThat(annotations.get(MillraceApi.SYNC_OPTIONS_ANNOTATION))
                .isEqualTo("{\"fullRefresh\":false}");
    }

    @Test
    void aResetIsAFullRefreshJobOfTypeReset() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());

        JsonNode body = json(api.post("/jobs", trigger(c, "reset")));

        assertThat(body.path("jobType").asText()).isEqualTo("reset");
        JobRecord record =
                cluster.store.findJob(Long.parseLong(body.path("jobId").asText())).orElseThrow();
        assertThat(record.type()).isEqualTo(JobType.RESET);
        assertThat(record.fullRefresh()).isTrue();
        assertThat(annotations(api.reread(c)).get(MillraceApi.SYNC_OPTIONS_ANNOTATION))
                .isEqualTo("{\"fullRefresh\":true}");
    }

    @Test
    void aSecondSyncWhileOneIsRequestedOrRunningIsAConflict() throws Exception {
        Namespace ws = api.workspace();
        Connection requested = api.connectionWithEnds(ws);
        assertThat(api.post("/jobs", trigger(requested, "sync")).statusCode()).isEqualTo(200);
        List<String> before = api.snapshot(ws);

        assertError(api.post("/jobs", trigger(requested, "sync")), 409);
        assertThat(api.snapshot(ws)).isEqualTo(before);

        Connection running = api.connection(ws, "running", "orders", "warehouse");
        recorded(running, JobType.SYNC, JobStatus.RUNNING, 0);
        assertError(api.post("/jobs", trigger(running, "reset")), 409);
        assertThat(annotations(api.reread(running))).doesNotContainKey(MillraceApi.SYNC_ANNOTATION);
    }

    @Test
    void badTriggersAreRejectedAndRequestNothing() throws Exception {
        Namespace ws = api.workspace();
        Connection c = api.connectionWithEnds(ws);
        Connection dangling = api.connection(ws, "dangling", "missing", "warehouse");
        List<String> before = api.snapshot(ws);

        for (String body :
                List.of(
                        "{",
                        "[]",
                        "{}",
                        "{\"jobType\": \"sync\"}",
                        "{\"connectionId\": \"" + uid(c) + "\"}",
                        "{\"connectionId\": \"abc\", \"jobType\": \"sync\"}",
                        "{\"connectionId\": 5, \"jobType\": \"sync\"}",
                        trigger(c, "refresh"),
                        trigger(c, "clear"),
                        "{\"connectionId\": \""
                                + uid(c)
                                + "\", \"jobType\": \"sync\", \"priority\": 1}",
                        trigger(dangling, "sync"))) {
            assertError(api.post("/jobs", body), 400);
        }
        assertThat(
                        assertError(
                                api.post(
                                        "/jobs",
                                        "{\"connectionId\": \""
                                                + UUID.randomUUID()
                                                + "\", \"jobType\": \"sync\"}"),
                                404))
                .contains("not found");
        assertThat(api.snapshot(ws)).isEqualTo(before);
    }

    @Test
    void cancellingBeforeTheJobExistsWithdrawsTheRequestAndRecordsCancelled() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        String jobId = json(api.post("/jobs", trigger(c, "sync"))).path("jobId").asText();

        var response = api.delete("/jobs/" + jobId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("cancelled");
        assertThat(json(response).path("jobId").asText()).isEqualTo(jobId);
        assertThat(annotations(api.reread(c))).doesNotContainKey(MillraceApi.SYNC_ANNOTATION);
        assertThat(cluster.store.findJob(Long.parseLong(jobId)).orElseThrow().status())
                .isEqualTo(JobStatus.CANCELLED);
        assertThat(cluster.store.logs(c.getMetadata().getNamespace(), "orders", 10))
                .anyMatch(l -> l.message().contains("cancelled"));
        // The connection is free again.
        assertThat(api.post("/jobs", trigger(c, "sync")).statusCode()).isEqualTo(200);
    }

    @Test
    void cancellingARunningJobDeletesItsBatchJob() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        JobRecord running = recorded(c, JobType.SYNC, JobStatus.RUNNING, 0);
        String jobName = JobNames.syncJob(c.getMetadata().getName(), running.id());
        cluster.client
                .batch()
                .v1()
                .jobs()
                .resource(
                        new JobBuilder()
                                .withNewMetadata()
                                .withName(jobName)
                                .withNamespace(c.getMetadata().getNamespace())
                                .endMetadata()
                                .withNewSpec()
                                .withNewTemplate()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("sync")
                                .withImage("millrace")
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec()
                                .build())
                .create();

        var response = api.delete("/jobs/" + running.id());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("cancelled");
        Job gone =
                cluster.client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(c.getMetadata().getNamespace())
                        .withName(jobName)
                        .get();
        assertThat(gone).isNull();
        assertThat(cluster.store.findJob(running.id()).orElseThrow().status())
                .isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void cancellingAnEndedUnknownOrMalformedJobIsRejected() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        JobRecord done = recorded(c, JobType.SYNC, JobStatus.SUCCEEDED, 10);

        assertThat(assertError(api.delete("/jobs/" + done.id()), 409)).contains("succeeded");
        assertThat(cluster.store.findJob(done.id()).orElseThrow().status())
                .isEqualTo(JobStatus.SUCCEEDED);
        assertError(api.delete("/jobs/99999999"), 404);
        assertError(api.delete("/jobs/abc"), 400);
        assertError(api.get("/jobs/0"), 400);
        assertError(api.get("/jobs/99999999"), 404);
    }

    @Test
    void getJobShowsRowsBytesAndEpochMillisecondTimesAsStrings() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        JobRecord done = recorded(c, JobType.SYNC, JobStatus.SUCCEEDED, 150_000);

        JsonNode body = json(api.get("/jobs/" + done.id()));

        assertThat(body.path("jobId").asText()).isEqualTo(String.valueOf(done.id()));
        assertThat(body.path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("startTime").asText())
                .isEqualTo(String.valueOf(Instant.parse("2030-01-01T08:00:05Z").toEpochMilli()));
        assertThat(body.path("lastUpdatedAt").asText())
                .isEqualTo(String.valueOf(Instant.parse("2030-01-01T08:01:00Z").toEpochMilli()));
        assertThat(body.path("rowsSynced").asLong()).isEqualTo(150_000);
        assertThat(body.path("bytesSynced").asLong()).isEqualTo(15_000_000);
    }

    @Test
    void listJobsFiltersByConnectionTypeAndStatusNewestFirstAndPages() throws Exception {
        Namespace ws = api.workspace();
        Connection c = api.connectionWithEnds(ws);
        Connection other = api.connection(ws, "other", "orders", "warehouse");
        JobRecord first = recorded(c, JobType.SYNC, JobStatus.SUCCEEDED, 1);
        JobRecord reset = recorded(c, JobType.RESET, JobStatus.FAILED, 0);
        JobRecord third = recorded(c, JobType.SYNC, JobStatus.SUCCEEDED, 3);
        recorded(other, JobType.SYNC, JobStatus.SUCCEEDED, 4);
        String byConnection = "/jobs?connectionId=" + uid(c);

        JsonNode page1 = json(api.get(byConnection + "&limit=2"));
        assertThat(page1.path("data").findValuesAsText("jobId"))
                .containsExactly(String.valueOf(third.id()), String.valueOf(reset.id()));
        assertThat(page1.path("next").asText())
                .contains("offset=2")
                .contains("connectionId=" + uid(c));
        assertThat(page1.path("previous").asText()).isEmpty();
        JsonNode page2 = json(api.get(byConnection + "&limit=2&offset=2"));
        assertThat(page2.path("data").findValuesAsText("jobId"))
                .containsExactly(String.valueOf(first.id()));
        assertThat(page2.path("next").asText()).isEmpty();

        assertThat(
                        json(api.get(byConnection + "&jobType=reset"))
                                .path("data")
                                .findValuesAsText("jobId"))
                .containsExactly(String.valueOf(reset.id()));
        assertThat(
                        json(api.get(byConnection + "&status=succeeded"))
                                .path("data")
                                .findValuesAsText("jobId"))
                .containsExactly(String.valueOf(third.id()), String.valueOf(first.id()));
        assertThat(json(api.get(byConnection + "&jobType=clear")).path("data")).isEmpty();
        assertThat(json(api.get("/jobs?limit=100")).path("data").size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void badJobListParametersAreBadRequests() throws Exception {
        for (String query :
                List.of(
                        "limit=0",
                        "limit=101",
                        "limit=ten",
                        "offset=-1",
                        "status=done",
                        "jobType=refresh",
                        "connectionId=nope")) {
            assertThat(assertError(api.get("/jobs?" + query), 400)).as(query).isNotBlank();
        }
        assertError(api.get("/jobs?connectionId=" + UUID.randomUUID()), 404);
    }

    @Test
    void aRunningJobShowsTheRowsAndBytesItsSyncHasReportedSoFar() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        JobRecord running = recorded(c, JobType.SYNC, JobStatus.RUNNING, 0);
        cluster.store
                .jobAttempts()
                .begin(
                        running.id(),
                        1,
                        "x-" + running.id(),
                        "token",
                        Instant.parse("2030-01-01T08:00:05Z"));
        cluster.store
                .jobAttempts()
                .reportProgress(
                        running.id(), 1, "token", "orders", 42_000, 1_300_000, Instant.now());

        JsonNode body = json(api.get("/jobs/" + running.id()));

        assertThat(body.path("status").asText()).isEqualTo("running");
        assertThat(body.path("rowsSynced").asLong()).isEqualTo(42_000);
        assertThat(body.path("bytesSynced").asLong()).isEqualTo(1_300_000);
    }

    @Test
    void cancellingDuringASecondAttemptDeletesThatAttemptsJobAndEndsTheAttempt() throws Exception {
        Connection c = api.connectionWithEnds(api.workspace());
        JobRecord running = recorded(c, JobType.SYNC, JobStatus.RUNNING, 0);
        String secondAttempt = JobNames.syncAttempt(c.getMetadata().getName(), running.id(), 2);
        cluster.store.jobAttempts().begin(running.id(), 1, "first", "t1", Instant.now());
        cluster.store
                .jobAttempts()
                .end(
                        running.id(),
                        1,
                        dev.millrace.store.job.AttemptStatus.FAILED,
                        Instant.now(),
                        0,
                        0,
                        "boom",
                        true);
        cluster.store.jobAttempts().begin(running.id(), 2, secondAttempt, "t2", Instant.now());
        cluster.client
                .batch()
                .v1()
                .jobs()
                .resource(
                        new JobBuilder()
                                .withNewMetadata()
                                .withName(secondAttempt)
                                .withNamespace(c.getMetadata().getNamespace())
                                .addToLabels("millrace.dev/connection", c.getMetadata().getName())
                                .addToLabels("millrace.dev/job-id", Long.toString(running.id()))
                                .addToLabels("millrace.dev/attempt", "2")
                                .endMetadata()
                                .withNewSpec()
                                .withNewTemplate()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("sync")
                                .withImage("millrace")
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec()
                                .build())
                .create();

        var response = api.delete("/jobs/" + running.id());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(
                        cluster.client
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(c.getMetadata().getNamespace())
                                .withName(secondAttempt)
                                .get())
                .isNull();
        assertThat(cluster.store.jobAttempts().of(running.id()))
                .extracting(a -> a.status().wireName())
                .containsExactly("failed", "cancelled");
    }
}

package dev.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessRequestTest {
    private static AccessRequest of(String method, String path) {
        return AccessRequest.of(method, path, "team-a");
    }

    @Test
    void patchingAConnectionNeedsUpdateOnConnections() {
        assertThat(of("PATCH", "/api/public/v1/connections/4f1c"))
                .isEqualTo(
                        new AccessRequest("update", "millrace.dev", "connections", "team-a", null));
    }

    @Test
    void readingIsGetOnOneObjectAndListOnACollection() {
        assertThat(of("GET", "/api/sources").verb()).isEqualTo("list");
        assertThat(of("GET", "/api/sources/orders/logs").verb()).isEqualTo("get");
        assertThat(of("GET", "/api/sources/orders/logs").resource()).isEqualTo("sources");
        assertThat(of("GET", "/api/public/v1/destinations/9a").verb()).isEqualTo("get");
        assertThat(of("GET", "/pipeline").resource()).isEqualTo("pipelines");
        assertThat(of("GET", "/pipeline_type/3").resource()).isEqualTo("pipelinetypes");
        assertThat(of("GET", "/api/connectors").resource()).isEqualTo("connectors");
    }

    @Test
    void monitoringPathsActOnPipelinesAndAnomalyRulesOrOnNoResource() {
        assertThat(of("POST", "/pipeline"))
                .isEqualTo(
                        new AccessRequest("create", "millrace.dev", "pipelines", "team-a", null));
        assertThat(of("PATCH", "/pipeline").verb()).isEqualTo("update");
        for (String path :
                new String[] {
                    "/start_pipeline_execution",
                    "/end_pipeline_execution",
                    "/timeliness",
                    "/freshness"
                }) {
            assertThat(of("POST", path))
                    .as(path)
                    .isEqualTo(
                            new AccessRequest(
                                    "update", "millrace.dev", "pipelines", "team-a", null));
        }
        assertThat(of("GET", "/pipeline_execution/7"))
                .isEqualTo(new AccessRequest("get", "millrace.dev", "pipelines", "team-a", null));
        assertThat(of("POST", "/anomaly_detection_rule").resource()).isEqualTo("anomalyrules");
        assertThat(of("GET", "/anomaly_detection_rule/2").verb()).isEqualTo("get");
        assertThat(of("POST", "/unflag_anomaly"))
                .isEqualTo(
                        new AccessRequest(
                                "update", "millrace.dev", "anomalyrules", "team-a", null));
        assertThat(of("POST", "/address").isResource()).isFalse();
        assertThat(of("POST", "/log_cleanup"))
                .isEqualTo(new AccessRequest("post", null, null, null, "/log_cleanup"));
        assertThat(of("POST", "/celery/monitor-queue").isResource()).isFalse();
    }

    @Test
    void writesMapToCreateUpdateAndDelete() {
        assertThat(of("POST", "/api/public/v1/sources").verb()).isEqualTo("create");
        assertThat(of("PUT", "/api/public/v1/destinations/9a").verb()).isEqualTo("update");
        assertThat(of("DELETE", "/api/public/v1/sources/1").verb()).isEqualTo("delete");
    }

    @Test
    void startingOrCancellingASyncIsUpdateOnConnections() {
        for (AccessRequest sync :
                new AccessRequest[] {
                    of("POST", "/api/sources/orders/sync"),
                    of("POST", "/api/public/v1/jobs"),
                    of("DELETE", "/api/public/v1/jobs/42")
                }) {
            assertThat(sync.verb()).isEqualTo("update");
            assertThat(sync.resource()).isEqualTo("connections");
            assertThat(sync.group()).isEqualTo("millrace.dev");
        }
        assertThat(of("GET", "/api/public/v1/jobs").verb()).isEqualTo("list");
        assertThat(of("GET", "/api/public/v1/jobs").resource()).isEqualTo("connections");
    }

    @Test
    void pathsAboutNoResourceAreNonResourceUrls() {
        AccessRequest status = of("GET", "/api/status");
        assertThat(status.isResource()).isFalse();
        assertThat(status.verb()).isEqualTo("get");
        assertThat(status.path()).isEqualTo("/api/status");
    }

    @Test
    void openingTheEventFeedIsWatchOnSources() {
        AccessRequest feed = of("GET", "/ws");
        assertThat(feed.verb()).isEqualTo("watch");
        assertThat(feed.resource()).isEqualTo("sources");
        assertThat(feed.group()).isEqualTo("millrace.dev");
    }
}

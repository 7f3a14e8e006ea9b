package dev.millrace.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RestPlanRulesTest {

    private static final String PLAN =
            """
            {
              "jobId": 3, "connection": "api-to-wh",
              "source": {"name": "api", "type": "rest", "rest": %s},
              "destination": {"name": "wh", "type": "duckdb", "duckdb": {"path": "wh.duckdb"}},
              "streams": [%s]
            }
            """;

    private static List<String> problemsOf(String rest, String streams) {
        try {
            PlanJson.read(String.format(PLAN, rest, streams));
            return List.of();
        } catch (InvalidPlanException e) {
            return e.problems();
        }
    }

    @Test
    void aCompleteRestPlanReadsBackWithItsEndpoint() {
        SyncPlan plan =
                PlanJson.read(
                        String.format(
                                PLAN,
                                "{\"baseUrl\": \"https://api.example.com\", \"auth\": {\"type\":"
                                        + " \"bearer\", \"secretEnv\": \"TOKEN\"}}",
                                "{\"name\": \"orders\", \"syncMode\": \"incremental_append\","
                                    + " \"cursorField\": \"updated_at\", \"rest\": {\"path\":"
                                    + " \"/orders\", \"recordsPath\": \"/data\", \"pagination\":"
                                    + " {\"type\": \"cursor\", \"hasMorePath\": \"/has_more\"}}}"));

        RestStreamPlan rest = plan.streams().get(0).rest();
        assertThat(rest.path()).isEqualTo("/orders");
        assertThat(rest.pagination().cursorParam()).isEqualTo("starting_after");
        assertThat(rest.pagination().pageSize()).isEqualTo(100);
        assertThat(plan.source().rest().maxRetries()).isEqualTo(5);
        assertThat(PlanJson.read(PlanJson.write(plan))).isEqualTo(plan);
    }

    @Test
    void everyRestProblemIsNamedByItsField() {
        assertThat(
                        problemsOf(
                                "{\"baseUrl\": \"ftp://x\", \"auth\": {\"type\": \"api_key\","
                                        + " \"secretEnv\": \"K\"}, \"headers\": {\"Authorization\":"
                                        + " \"Bearer x\"}, \"maxRetries\": 99}",
                                "{\"name\": \"a\", \"syncMode\": \"incremental_append\", \"rest\":"
                                    + " {\"path\": \"https://elsewhere/a\", \"recordsPath\":"
                                    + " \"data\", \"pagination\": {\"type\": \"scroll\"},"
                                    + " \"columns\": [{\"name\": \"x\", \"type\": \"uuid\"}]}}"))
                .containsExactly(
                        "source.rest.baseUrl: must be an http or https URL, was ftp://x",
                        "source.rest.auth: api_key needs exactly one of header and queryParam",
                        "source.rest.maxRetries: must be between 0 and 20, was 99",
                        "source.rest.headers: Authorization comes from auth and its Secret, never"
                                + " from a plain header",
                        "streams[0].cursorField: required by incremental_append on a rest source",
                        "streams[0].rest.path: a path below the base URL, not a URL",
                        "streams[0].rest.recordsPath: a JSON pointer starting with /, e.g. /data,"
                                + " was \"data\"",
                        "streams[0].rest.pagination.type: unsupported value \"scroll\" (expected"
                                + " one of none, cursor, offset, page, link)",
                        "streams[0].rest.columns[0].type: unsupported value \"uuid\" (expected one"
                                + " of boolean, bigint, double, decimal(p,s), varchar, date,"
                                + " timestamp, timestamptz, json)");
    }

    @Test
    void aStripePlanNeedsABearerKeyButNoBaseUrl() {
        String plan =
                """
                {"jobId": 1, "connection": "c",
                 "source": {"name": "s", "type": "stripe", "rest": {"auth": {"type": "basic", "secretEnv": "K", "username": "u"}}},
                 "destination": {"name": "wh", "type": "duckdb", "duckdb": {"path": "wh.duckdb"}},
                 "streams": [{"name": "charges", "syncMode": "full_refresh_overwrite"}]}
                """;

        assertThatThrownBy(() -> PlanJson.read(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessage(
                        "source.rest.auth: a stripe source authenticates with a bearer secret key");
    }
}

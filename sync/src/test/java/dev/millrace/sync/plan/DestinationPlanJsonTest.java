package dev.millrace.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The postgres and parquet destinations of a plan, as the operator writes them. */
class DestinationPlanJsonTest {

    private static final String PLAN =
            """
            {
              "jobId": 12,
              "connection": "orders-out",
              "source": {"name": "orders", "type": "csv", "files": {"directory": "orders"}},
              "destination": DESTINATION,
              "streams": [{"name": "orders", "syncMode": "full_refresh_overwrite"}]
            }
            """;

    private static String plan(String destination) {
        return PLAN.replace("DESTINATION", destination);
    }

    private static List<String> problemsOf(String destination) {
        try {
            PlanJson.read(plan(destination));
        } catch (InvalidPlanException e) {
            return e.problems();
        }
        throw new AssertionError("expected the plan to be rejected: " + destination);
    }

    @Test
    void aPostgresDestinationReadsWithItsServerAndPasswordVariable() {
        SyncPlan plan =
                PlanJson.read(
                        plan(
                                """
                                {"name": "dwh", "type": "postgres", "schema": "raw",
                                 "postgres": {"host": "db", "port": 5433, "database": "analytics",
                                              "username": "loader",
                                              "passwordEnv": "MILLRACE_DESTINATION_PASSWORD",
                                              "passwordSecretRef": {"name": "s", "key": "k"},
                                              "options": {"sslmode": "require"}}}
                                """));

        assertThat(plan.destination())
                .isEqualTo(
                        DestinationPlan.postgres(
                                "dwh",
                                new PostgresPlan(
                                        "db",
                                        5433,
                                        "analytics",
                                        "loader",
                                        "MILLRACE_DESTINATION_PASSWORD",
                                        Map.of("sslmode", "require")),
                                "raw"));
        assertThat(PlanJson.read(PlanJson.write(plan))).isEqualTo(plan);
    }

    @Test
    void aParquetDestinationReadsWithItsFolderAndPartitionColumns() {
        SyncPlan plan =
                PlanJson.read(
                        plan(
                                """
                                {"name": "lake", "type": "parquet",
                                 "parquet": {"path": "lake", "partitionBy": ["order_date"]}}
                                """));

        assertThat(plan.destination().parquet())
                .isEqualTo(new ParquetPlan("lake", List.of("order_date")));
        assertThat(PlanJson.write(plan))
                .doesNotContain("\"duckdb\"")
                .doesNotContain("\"postgres\"");
    }

    @Test
    void eachDestinationTypeNeedsItsOwnSettings() {
        assertThat(problemsOf("{\"type\": \"postgres\"}"))
                .containsExactly("destination.postgres: required for a postgres destination");
        assertThat(problemsOf("{\"type\": \"parquet\"}"))
                .containsExactly("destination.parquet: required for a parquet destination");
        assertThat(problemsOf("{\"type\": \"postgres\", \"postgres\": {\"port\": 0}}"))
                .containsExactly(
                        "destination.postgres.host: required",
                        "destination.postgres.database: required",
                        "destination.postgres.port: must be between 1 and 65535, was 0");
    }

    @Test
    void parquetCannotPartitionByMetadataOrBlankColumns() {
        assertThat(
                        problemsOf(
                                "{\"type\": \"parquet\", \"parquet\": {\"path\": \"lake\","
                                        + " \"partitionBy\": [\"_millrace_job_id\", \" \"]}}"))
                .containsExactly(
                        "destination.parquet.partitionBy[0]: Millrace's metadata columns cannot"
                                + " partition a stream",
                        "destination.parquet.partitionBy[1]: required");
    }
}

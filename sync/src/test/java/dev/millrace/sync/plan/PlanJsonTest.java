package dev.millrace.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanJsonTest {

    private static final String PLAN =
            """
            {
              "jobId": 12,
              "namespace": "default",
              "connection": "orders-to-warehouse",
              "source": {"name": "orders", "type": "csv",
                         "files": {"directory": "orders", "glob": "*.csv", "delimiter": ",", "header": true}},
              "destination": {"name": "warehouse", "type": "duckdb", "duckdb": {"path": "warehouse.duckdb"}, "schema": "raw_orders"},
              "streams": [{"name": "orders", "syncMode": "incremental_append", "cursorField": null, "primaryKey": [], "glob": null}],
              "fullRefresh": false,
              "allowEmptyReplace": false
            }
            """;

    private static List<String> problemsOf(String json) {
        try {
            PlanJson.read(json);
        } catch (InvalidPlanException e) {
            return e.problems();
        }
        throw new AssertionError("expected the plan to be rejected: " + json);
    }

    @Test
    void readsThePlanTheOperatorBuilds() {
        SyncPlan plan = PlanJson.read(PLAN);

        assertThat(plan.jobId()).isEqualTo(12);
        assertThat(plan.namespace()).isEqualTo("default");
        assertThat(plan.connection()).isEqualTo("orders-to-warehouse");
        assertThat(plan.source())
                .isEqualTo(
                        new SourcePlan(
                                "orders", "csv", new FilesPlan("orders", "*.csv", ",", true)));
        assertThat(plan.destination())
                .isEqualTo(
                        new DestinationPlan(
                                "warehouse",
                                "duckdb",
                                new DuckDbPlan("warehouse.duckdb"),
                                "raw_orders"));
        assertThat(plan.streams())
                .containsExactly(
                        new StreamPlan(
                                "orders", SyncMode.INCREMENTAL_APPEND, null, List.of(), null));
        assertThat(plan.fullRefresh()).isFalse();
        assertThat(plan.allowEmptyReplace()).isFalse();
    }

    @Test
    void aWrittenPlanReadsBackEqualInTheSameShape() {
        SyncPlan plan = PlanJson.read(PLAN);

        String json = PlanJson.write(plan);

        assertThat(PlanJson.read(json)).isEqualTo(plan);
        assertThat(json)
                .isEqualTo(
                        "{\"jobId\":12,\"namespace\":\"default\",\"connection\":\"orders-to-warehouse\","
                            + "\"source\":{\"name\":\"orders\",\"type\":\"csv\",\"files\":{\"directory\":"
                            + "\"orders\",\"glob\":\"*.csv\",\"delimiter\":\",\",\"header\":true}},"
                            + "\"destination\":{\"name\":\"warehouse\",\"type\":\"duckdb\",\"duckdb\":"
                            + "{\"path\":\"warehouse.duckdb\"},\"schema\":\"raw_orders\"},\"streams\":"
                            + "[{\"name\":\"orders\",\"syncMode\":\"incremental_append\",\"cursorField\":"
                            + "null,\"primaryKey\":[],\"glob\":null}],\"fullRefresh\":false,"
                            + "\"allowEmptyReplace\":false}");
    }

    @Test
    void unknownFieldsAreIgnored() {
        SyncPlan plan =
                PlanJson.read(
                        PLAN.replace(
                                "\"fullRefresh\"", "\"resources\": {\"cpu\": 1}, \"fullRefresh\""));

        assertThat(plan.jobId()).isEqualTo(12);
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        SyncPlan plan =
                PlanJson.read(
                        """
                        {"jobId": 1, "connection": "c",
                         "source": {"type": "csv", "files": {"directory": "in"}},
                         "destination": {"type": "duckdb", "duckdb": {"path": "w.duckdb"}},
                         "streams": [{"name": "s", "syncMode": "full_refresh_append"}]}
                        """);

        assertThat(plan.namespace()).isEqualTo("default");
        assertThat(plan.source().files()).isEqualTo(new FilesPlan("in", "*.csv", null, true));
        assertThat(plan.destination().schema()).isEqualTo("main");
        assertThat(plan.streams().get(0).primaryKey()).isEmpty();
        assertThat(plan.fullRefresh()).isFalse();
    }

    @Test
    void anUnsupportedSyncModeNamesTheFieldAndTheValue() {
        assertThat(problemsOf(PLAN.replace("\"incremental_append\"", "\"x\"")))
                .containsExactly(
                        "streams[0].syncMode: unsupported value \"x\" (expected one of"
                            + " full_refresh_overwrite, full_refresh_append, incremental_append,"
                            + " incremental_deduped_history)");
    }

    @Test
    void jdbcSourcesNeedTheirDatabaseAndATableOrQueryPerStream() {
        assertThat(problemsOf(PLAN.replace("\"type\": \"csv\"", "\"type\": \"jdbc\"")))
                .containsExactly(
                        "source.jdbc: required for a jdbc source",
                        "streams[0]: a jdbc stream needs exactly one of table and query",
                        "streams[0].cursorField: required by incremental_append on a jdbc source");
    }

    @Test
    void unsupportedSourceAndDestinationTypesAreRejected() {
        assertThat(
                        problemsOf(
                                PLAN.replace("\"type\": \"csv\"", "\"type\": \"s3\"")
                                        .replace(
                                                "\"type\": \"duckdb\"", "\"type\": \"snowflake\"")))
                .containsExactly(
                        "source.type: unsupported value \"s3\" (this sync engine reads csv,"
                                + " parquet, json, jdbc, rest, stripe)",
                        "destination.type: unsupported value \"snowflake\" (this sync engine"
                                + " writes duckdb, postgres, parquet)");
    }

    @Test
    void dedupedHistoryRequiresAPrimaryKey() {
        assertThat(
                        problemsOf(
                                PLAN.replace(
                                        "\"incremental_append\"",
                                        "\"incremental_deduped_history\"")))
                .containsExactly("streams[0].primaryKey: required by incremental_deduped_history");
    }

    @Test
    void everyMissingRequiredFieldIsReported() {
        assertThat(problemsOf("{\"streams\": [{\"name\": \" \"}, null]}"))
                .containsExactly(
                        "jobId: required",
                        "connection: required",
                        "source: required",
                        "destination: required",
                        "streams[0].name: required",
                        "streams[0].syncMode: required (one of full_refresh_overwrite,"
                                + " full_refresh_append, incremental_append,"
                                + " incremental_deduped_history)",
                        "streams[1]: must be an object");
    }

    @Test
    void streamsLandingInTheSameTableAreRejected() {
        String twoStreams =
                PLAN.replace(
                        "\"streams\": [",
                        "\"streams\": [{\"name\": \"Orders\", \"syncMode\":"
                                + " \"full_refresh_append\"}, ");

        assertThat(problemsOf(twoStreams))
                .containsExactly(
                        "streams[1].name: \"orders\" lands in the same table as streams[0]");
    }

    @Test
    void anInvalidGlobIsRejected() {
        assertThat(problemsOf(PLAN.replace("\"*.csv\"", "\"orders-[.csv\"")))
                .singleElement()
                .asString()
                .startsWith("source.files.glob: not a valid glob: ");
    }

    @Test
    void theStateSchemaCannotBeTheDestinationSchema() {
        assertThat(problemsOf(PLAN.replace("\"raw_orders\"", "\"_Millrace\"")))
                .containsExactly(
                        "destination.schema: \"_Millrace\" is reserved for Millrace's sync state");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsField() {
        assertThat(problemsOf(PLAN.replace("\"header\": true", "\"header\": \"yes\"")))
                .singleElement()
                .asString()
                .startsWith("source.files.header: ");
    }

    @Test
    void textThatIsNotJsonIsRejected() {
        assertThat(problemsOf("{not json"))
                .singleElement()
                .asString()
                .startsWith("plan: not valid JSON");
        assertThatThrownBy(() -> PlanJson.read(" "))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("pass --plan or set MILLRACE_SYNC_PLAN");
    }

    @Test
    void theJobIdOfAnInvalidPlanIsStillFound() {
        assertThat(PlanJson.jobIdOf(PLAN.replace("\"incremental_append\"", "\"x\""))).isEqualTo(12);
        assertThat(PlanJson.jobIdOf("{not json")).isNull();
        assertThat(PlanJson.jobIdOf("{\"jobId\": \"12\"}")).isNull();
    }
}

package dev.millrace.sync.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRunMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path warehouse;
    private Path termination;

    @BeforeEach
    void seed() throws Exception {
        termination = warehouse.resolve("termination-log");
        execute(
                "create schema raw",
                "create table raw.orders as select * from (values (1, 'ada', 10.5), (2, 'bob',"
                        + " 20.0), (3, 'ada', 7.25)) t(id, customer, amount)");
    }

    @Test
    void aTableModelIsBuiltInOneTransactionAndReportsItsRowCount() throws Exception {
        JsonNode result =
                run(
                        plan(
                                "totals",
                                "table",
                                "select customer, sum(amount) as total from raw.orders group by"
                                        + " customer;"),
                        0);

        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("rowCount").asLong()).isEqualTo(2);
        assertThat(result.path("relation").asText()).isEqualTo("\"marts\".\"totals\"");
        assertThat(query("select customer || '=' || total from marts.totals order by customer"))
                .containsExactly("ada=17.75", "bob=20.00");
        assertThat(JSON.readTree(Files.readString(termination))).isEqualTo(result);
    }

    @Test
    void aViewIsNotCountedAndCanLaterBecomeATable() throws Exception {
        JsonNode view = run(plan("big", "view", "select * from raw.orders where amount > 8"), 0);
        assertThat(view.has("rowCount")).isFalse();
        assertThat(
                        query(
                                "select table_type from information_schema.tables where table_name"
                                        + " = 'big'"))
                .containsExactly("VIEW");

        run(plan("big", "table", "select * from raw.orders where amount > 8"), 0);

        assertThat(
                        query(
                                "select table_type from information_schema.tables where table_name"
                                        + " = 'big'"))
                .containsExactly("BASE TABLE");
        assertThat(query("select count(*) from marts.big")).containsExactly("2");
    }

    @Test
    void aFailingModelLeavesThePreviousTableAsItWasAndSaysWhy() throws Exception {
        run(plan("totals", "table", "select customer from raw.orders"), 0);

        JsonNode failed = run(plan("totals", "table", "select customer from raw.missing"), 1);

        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("missing");
        assertThat(query("select count(*) from marts.totals")).containsExactly("3");
    }

    @Test
    void textAfterASemicolonNeverRunsAsASecondStatement() throws Exception {
        JsonNode failed = run(plan("sneaky", "table", "select 1 as one; drop table raw.orders"), 1);

        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(query("select count(*) from raw.orders")).containsExactly("3");
    }

    @Test
    void anInvalidPlanExitsWithTwoAndNamesTheFields() throws Exception {
        JsonNode result = run("{\"jobId\": 9, \"model\": \"x\", \"materialization\": \"cube\"}", 2);

        assertThat(result.path("jobId").asLong()).isEqualTo(9);
        assertThat(result.path("error").asText())
                .contains("materialization: must be view or table")
                .contains("databasePath: required")
                .contains("sql: required");
    }

    private String plan(String model, String materialization, String sql) {
        return new ModelPlan(
                        7, model, "warehouse", "warehouse.duckdb", "marts", materialization, sql)
                .toJson();
    }

    private JsonNode run(String plan, int expectedExit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit =
                ModelRunMain.run(
                        new String[] {"--plan", plan},
                        Map.of(
                                "MILLRACE_WAREHOUSE_ROOT", warehouse.toString(),
                                "MILLRACE_TERMINATION_LOG", termination.toString()),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(exit).as(String.join("\n", lines)).isEqualTo(expectedExit);
        return JSON.readTree(lines[lines.length - 1]);
    }

    private void execute(String... statements) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + warehouse.resolve("warehouse.duckdb"));
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private List<String> query(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + warehouse.resolve("warehouse.duckdb"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

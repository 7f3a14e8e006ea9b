package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample data shipped in examples/data syncs as documented. */
class ExampleDataTest {

    /** Printed by examples/data/generate_orders.py; the README and local mode rely on it. */
    static final long EXAMPLE_ORDER_ROWS = 3871;

    private static final Path EXAMPLES_DATA =
            Path.of("..", "examples", "data").toAbsolutePath().normalize();

    @TempDir Path warehouse;

    @Test
    void theExampleOrdersSyncWithTheExpectedRowCountAndTypes() throws Exception {
        String plan =
                """
                {"jobId": 1, "connection": "orders-to-warehouse",
                 "source": {"name": "orders", "type": "csv", "files": {"directory": "orders"}},
                 "destination": {"type": "duckdb", "duckdb": {"path": "warehouse.duckdb"}, "schema": "raw_orders"},
                 "streams": [{"name": "orders", "syncMode": "incremental_deduped_history",
                              "cursorField": "order_date", "primaryKey": ["order_id"]}]}
                """;
        SyncEnvironment env =
                SyncEnvironment.from(
                        Map.of(
                                SyncEnvironment.DATA_ROOT, EXAMPLES_DATA.toString(),
                                SyncEnvironment.WAREHOUSE_ROOT, warehouse.toString()));

        SyncResult result = new SyncRunner(line -> {}).run(PlanJson.read(plan), env);

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        StreamResult orders = result.streams().get(0);
        assertThat(orders.filesLoaded()).isEqualTo(4);
        assertThat(orders.rowsRead()).isEqualTo(EXAMPLE_ORDER_ROWS);
        assertThat(orders.inserts()).isEqualTo(EXAMPLE_ORDER_ROWS);
        assertThat(orders.tableRowCount()).isEqualTo(EXAMPLE_ORDER_ROWS);
        assertThat(orders.cursor()).isEqualTo("2026-04-30");

        assertThat(
                        rows(
                                warehouse,
                                "SELECT column_name || ' ' || data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' ORDER BY column_index"))
                .containsExactly(
                        "order_id BIGINT",
                        "customer_id VARCHAR",
                        "customer_email VARCHAR",
                        "order_date DATE",
                        "status VARCHAR",
                        "product_sku VARCHAR",
                        "quantity BIGINT",
                        "unit_price DOUBLE",
                        "currency VARCHAR",
                        "country VARCHAR",
                        "_millrace_extracted_at TIMESTAMP WITH TIME ZONE",
                        "_millrace_job_id BIGINT",
                        "_millrace_raw_id VARCHAR",
                        "_millrace_file VARCHAR");
    }

    private static List<String> rows(Path warehouse, String sql) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + warehouse.resolve("warehouse.duckdb"));
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (resultSet.next()) {
                rows.add(resultSet.getString(1));
            }
            return rows;
        }
    }
}

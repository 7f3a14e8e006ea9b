package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.DuckDbPlan;
import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Files;
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

/** Names and paths from plans and headers reach SQL only quoted. */
class NamesAndPathsTest {

    @TempDir Path tempDir;

    @Test
    void quotesInFolderFileSchemaStreamAndColumnNamesLandSafely() throws Exception {
        Path folder = Files.createDirectories(tempDir.resolve("it's \"data\""));
        Files.writeString(
                folder.resolve("o'rders; DROP TABLE x.csv"),
                "id,\"amount \"\"eur\"\"\",it's\n1,10,a\n2,20,b\n");
        StreamPlan stream =
                new StreamPlan(
                        "order's \"lines\"",
                        SyncMode.INCREMENTAL_DEDUPED_HISTORY,
                        "amount \"eur\"",
                        List.of("id"),
                        null);
        SyncPlan plan =
                new SyncPlan(
                        7L,
                        "team's",
                        "c\"x",
                        new SourcePlan(
                                "s", "csv", new FilesPlan(folder.toString(), null, ",", true)),
                        new DestinationPlan(
                                "d",
                                "duckdb",
                                new DuckDbPlan("ware'house.duckdb"),
                                "raw \"schema\"'s"),
                        List.of(stream),
                        false,
                        false);
        SyncEnvironment env =
                SyncEnvironment.from(Map.of(SyncEnvironment.WAREHOUSE_ROOT, tempDir.toString()));

        SyncResult result = new SyncRunner(line -> {}).run(plan, env);

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(result.streams().get(0).table()).isEqualTo("raw \"schema\"'s.order's \"lines\"");
        assertThat(result.streams().get(0).cursor()).isEqualTo("20");
        try (Connection connection =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + tempDir.resolve("ware'house.duckdb"));
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT id, \"amount \"\"eur\"\"\", \"it's\", _millrace_file FROM"
                                    + " \"raw \"\"schema\"\"'s\".\"order's \"\"lines\"\"\" ORDER BY"
                                    + " id")) {
            List<String> landed = new ArrayList<>();
            while (rows.next()) {
                landed.add(
                        rows.getString(1)
                                + "|"
                                + rows.getString(2)
                                + "|"
                                + rows.getString(3)
                                + "|"
                                + rows.getString(4));
            }
            assertThat(landed)
                    .containsExactly(
                            "1|10|a|o'rders; DROP TABLE x.csv", "2|20|b|o'rders; DROP TABLE x.csv");
        }
    }
}

package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lands one column per row of docs/type-mapping.md's tables and checks the documented type. */
class TypeMappingTest {

    private static final Path DOC = Path.of("..", "docs", "type-mapping.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(.+?)` \\| `(.+?)` \\|.*$");

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture(tempDir);
    }

    /** The two-column rows of the table under {@code heading}, in order. */
    private static Map<String, String> table(String heading) throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## " + heading);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()) {
                rows.put(row.group(1), row.group(2));
            }
        }
        assertThat(rows).as("rows under ## " + heading).isNotEmpty();
        return rows;
    }

    /** Column name to landed type, in documented order, for columns c0, c1, … */
    private List<String> landedTypes(int columns) throws Exception {
        SyncResult result = fixture.sync(fixture.plan(stream(SyncMode.FULL_REFRESH_OVERWRITE)));
        assertThat(result.status()).as(result.error()).isEqualTo(SyncStatus.SUCCEEDED);
        List<String> types = new ArrayList<>();
        for (int index = 0; index < columns; index++) {
            types.add(
                    fixture.rows(
                                    "SELECT data_type FROM duckdb_columns() WHERE table_name ="
                                            + " 'orders' AND column_name = 'c"
                                            + index
                                            + "'")
                            .get(0));
        }
        return types;
    }

    @Test
    void parquetTypesLandAsDocumented() throws Exception {
        Map<String, String> documented = table("Parquet → DuckDB");
        List<String> select = new ArrayList<>();
        int index = 0;
        for (String type : documented.keySet()) {
            select.add("CAST(NULL AS " + type + ") AS c" + index++);
        }
        fixture.source =
                new SourcePlan("orders", "parquet", new FilesPlan("orders", null, null, null));
        fixture.writeParquet("types.parquet", "SELECT " + String.join(", ", select));

        assertThat(landedTypes(documented.size())).containsExactlyElementsOf(documented.values());
    }

    @Test
    void jsonValuesLandAsDocumented() throws Exception {
        Map<String, String> documented = table("JSON → DuckDB");
        List<String> members = new ArrayList<>();
        int index = 0;
        for (String value : documented.keySet()) {
            members.add("\"c" + index++ + "\": " + value);
        }
        fixture.source =
                new SourcePlan("orders", "json", new FilesPlan("orders", null, null, null));
        fixture.writeText("types.json", "{" + String.join(", ", members) + "}\n");

        assertThat(landedTypes(documented.size())).containsExactlyElementsOf(documented.values());
    }

    @Test
    void metadataColumnsAreAsDocumented() throws Exception {
        Map<String, String> documented = table("Every landed table");
        fixture.writeCsv("a.csv", "id", "1");
        fixture.sync(fixture.plan(stream(SyncMode.FULL_REFRESH_OVERWRITE)));

        assertThat(
                        fixture.rows(
                                "SELECT column_name || '=' || data_type FROM duckdb_columns()"
                                        + " WHERE table_name = 'orders' AND column_name LIKE"
                                        + " '\\_millrace%' ESCAPE '\\' ORDER BY column_index"))
                .containsExactlyElementsOf(
                        documented.entrySet().stream()
                                .map(entry -> entry.getKey() + "=" + entry.getValue())
                                .toList());
    }
}

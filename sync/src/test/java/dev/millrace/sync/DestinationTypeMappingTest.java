package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lands one non-NULL column per row of docs/type-mapping.md's destination table in PostgreSQL and
 * in Parquet, and checks the documented types: a row added to the page is a row tested.
 */
class DestinationTypeMappingTest {

    private static final Path DOC = Path.of("..", "docs", "type-mapping.md");
    private static final String SECTION = "## Destinations: DuckDB, PostgreSQL, Parquet";
    private static final Pattern ROW = Pattern.compile("^\\| `(.+?)` \\| `(.+?)` \\| `(.+?)` \\|$");

    /** A value of each staged type, so that every column also travels through COPY's CSV. */
    private static final Map<String, String> SAMPLES =
            Map.ofEntries(
                    Map.entry("BOOLEAN", "true"),
                    Map.entry("VARCHAR", "'a,\"b'"),
                    Map.entry("BLOB", "'\\xAA\\x01'"),
                    Map.entry("UUID", "'00000000-0000-0000-0000-000000000001'"),
                    Map.entry("DATE", "'2026-01-02'"),
                    Map.entry("TIME", "'10:11:12'"),
                    Map.entry("TIMESTAMP", "'2026-01-02 10:11:12'"),
                    Map.entry("TIMESTAMP_NS", "'2026-01-02 10:11:12.123456789'"),
                    Map.entry("TIMESTAMP WITH TIME ZONE", "'2026-01-02 10:11:12+02'"),
                    Map.entry("INTERVAL", "'1 day 2 hours'"),
                    Map.entry("JSON", "'{\"k\": [1, 2]}'"));

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private Map<String, String[]> documented;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void writeOneColumnPerDocumentedType() throws Exception {
        fixture = new SyncFixture(tempDir);
        documented = new java.util.LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inSection = line.equals(SECTION);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()) {
                documented.put(row.group(1), new String[] {row.group(2), row.group(3)});
            }
        }
        assertThat(documented).as("rows under " + SECTION).hasSizeGreaterThan(10);
        List<String> select = new ArrayList<>();
        int index = 0;
        for (String type : documented.keySet()) {
            String sample = SAMPLES.getOrDefault(type, "1.5");
            select.add("CAST(" + sample + " AS " + type + ") AS c" + index++);
        }
        fixture.source =
                new SourcePlan("orders", "parquet", new FilesPlan("orders", null, null, null));
        fixture.writeParquet("types.parquet", "SELECT " + String.join(", ", select));
    }

    private void sync() {
        SyncResult result = fixture.sync(fixture.plan(stream(SyncMode.FULL_REFRESH_OVERWRITE)));
        assertThat(result.status())
                .as(String.valueOf(result.error()))
                .isEqualTo(SyncStatus.SUCCEEDED);
    }

    private String allColumnsNotNull() {
        List<String> checks = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            checks.add("c" + index + " IS NOT NULL");
        }
        return String.join(" AND ", checks);
    }

    @Test
    void everyStagedTypeLandsInPostgresAsDocumented() throws Exception {
        PostgresDestinationTest.usePostgres(fixture, postgres);

        sync();

        List<String> landed = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            landed.add(
                    fixture.rows(
                                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                                            + " WHERE attrelid = 'raw_orders.orders'::regclass AND"
                                            + " attname = 'c"
                                            + index
                                            + "'")
                            .get(0));
        }
        assertThat(landed)
                .containsExactlyElementsOf(documented.values().stream().map(t -> t[0]).toList());
        assertThat(fixture.count("raw_orders.orders WHERE " + allColumnsNotNull())).isEqualTo(1);
        int blob = new ArrayList<>(documented.keySet()).indexOf("BLOB");
        int json = new ArrayList<>(documented.keySet()).indexOf("JSON");
        int timestamptz = new ArrayList<>(documented.keySet()).indexOf("TIMESTAMP WITH TIME ZONE");
        int text = new ArrayList<>(documented.keySet()).indexOf("VARCHAR");
        assertThat(
                        fixture.rows(
                                String.format(
                                        "SELECT c%d, c%d, c%d, c%d FROM raw_orders.orders",
                                        blob, json, timestamptz, text)))
                .containsExactly("\\xaa01|{\"k\": [1, 2]}|2026-01-02 08:11:12+00|a,\"b");
    }

    @Test
    void emptyStringsAndNullsStayApartInPostgres() throws Exception {
        PostgresDestinationTest.usePostgres(fixture, postgres);
        // DuckDB's CSV reader itself reads "" as NULL; JSON keeps the two apart.
        fixture.source =
                new SourcePlan("orders", "json", new FilesPlan("orders", null, null, null));
        Files.delete(fixture.sourceDir.resolve("types.parquet"));
        fixture.writeText("a.json", "{\"id\": 1, \"note\": \"\"}\n{\"id\": 2, \"note\": null}\n");

        sync();

        assertThat(
                        fixture.rows(
                                "SELECT id, note IS NULL, length(note) FROM raw_orders.orders ORDER"
                                        + " BY 1"))
                .containsExactly("1|f|0", "2|t|null");
    }

    @Test
    void everyStagedTypeReadsBackFromParquetAsDocumented() throws Exception {
        fixture.destination =
                DestinationPlan.parquet(
                        "lake", new ParquetPlan("lake", List.of()), SyncFixture.SCHEMA);

        sync();

        List<String> landed = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            landed.add(
                    fixture.rows(
                                    "SELECT data_type FROM information_schema.columns WHERE"
                                            + " table_name = 'orders' AND column_name = 'c"
                                            + index
                                            + "'")
                            .get(0));
        }
        assertThat(landed)
                .containsExactlyElementsOf(documented.values().stream().map(t -> t[1]).toList());
        assertThat(fixture.count("raw_orders.orders WHERE " + allColumnsNotNull())).isEqualTo(1);
    }
}

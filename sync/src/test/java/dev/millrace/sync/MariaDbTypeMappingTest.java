package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creates one MariaDB column per row of docs/type-mapping.md's MySQL/MariaDB table, inserts the
 * documented sample, and checks what lands in DuckDB, PostgreSQL and Parquet: a row added to the
 * page is a row tested.
 */
class MariaDbTypeMappingTest {

    @RegisterExtension static final MariaDbServer MARIADB = new MariaDbServer();

    private static final Path DOC = Path.of("..", "docs", "type-mapping.md");
    private static final String SECTION = "## MySQL, MariaDB → DuckDB, PostgreSQL, Parquet";
    private static final Pattern ROW =
            Pattern.compile("^\\| `(.+?)` \\| `(.+?)` \\| `(.+?)` \\| `(.+?)` \\| `(.+?)` \\|$");

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private final List<String[]> documented = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void createOneColumnPerDocumentedType() throws Exception {
        boolean inSection = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inSection = line.equals(SECTION);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()) {
                documented.add(
                        new String[] {
                            row.group(1), row.group(2), row.group(3), row.group(4), row.group(5)
                        });
            }
        }
        assertThat(documented).as("rows under " + SECTION).hasSizeGreaterThan(20);
        List<String> columns = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            columns.add("c" + index + " " + documented.get(index)[0] + " NULL");
            samples.add(documented.get(index)[1]);
        }
        MARIADB.execute(
                "SET time_zone = '+00:00'",
                "DROP TABLE IF EXISTS types",
                "CREATE TABLE types (" + String.join(", ", columns) + ")",
                "INSERT INTO types VALUES (" + String.join(", ", samples) + ")");
        fixture = new SyncFixture(tempDir);
        fixture.source =
                new SourcePlan(
                        "shop",
                        "jdbc",
                        null,
                        new JdbcPlan(
                                "mariadb",
                                MARIADB.host(),
                                MARIADB.port(),
                                MariaDbServer.DATABASE,
                                MariaDbServer.USER,
                                "PW",
                                Map.of()));
        fixture.variables.put("PW", MariaDbServer.PASSWORD);
    }

    private void sync() {
        StreamPlan types =
                new StreamPlan(
                        "orders",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        null,
                        "types",
                        null);
        SyncResult result = fixture.sync(fixture.plan(types));
        assertThat(result.status()).as(result.error()).isEqualTo(SyncStatus.SUCCEEDED);
    }

    private List<String> documented(int field) {
        return documented.stream().map(row -> row[field]).toList();
    }

    private String landedType(String sql, int index) throws Exception {
        return fixture.rows(sql.replace("{column}", "c" + index)).get(0);
    }

    @Test
    void everyColumnLandsInDuckDbWithTheDocumentedTypeAndValue() throws Exception {
        sync();

        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            String type =
                    landedType(
                            "SELECT data_type FROM duckdb_columns() WHERE table_name = 'orders'"
                                    + " AND column_name = '{column}'",
                            index);
            types.add(type);
            String text =
                    type.equals("TIMESTAMP WITH TIME ZONE")
                            ? "CAST(c" + index + " AT TIME ZONE 'UTC' AS VARCHAR)"
                            : "CAST(c" + index + " AS VARCHAR)";
            values.add(fixture.rows("SELECT " + text + " FROM raw_orders.orders").get(0));
        }
        assertThat(types).containsExactlyElementsOf(documented(3));
        assertThat(values).containsExactlyElementsOf(documented(2));
    }

    @Test
    void everyColumnLandsInPostgresWithTheDocumentedType() throws Exception {
        PostgresDestinationTest.usePostgres(fixture, postgres);

        sync();

        List<String> types = new ArrayList<>();
        List<String> nonNull = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            types.add(
                    landedType(
                            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE"
                                    + " attrelid = 'raw_orders.orders'::regclass AND attname ="
                                    + " '{column}'",
                            index));
            nonNull.add("c" + index + " IS NOT NULL");
        }
        assertThat(types).containsExactlyElementsOf(documented(4));
        assertThat(fixture.count("raw_orders.orders WHERE " + String.join(" AND ", nonNull)))
                .isEqualTo(1);
        int unsigned = documented(0).indexOf("BIGINT UNSIGNED");
        int timestamp = documented(0).indexOf("TIMESTAMP(3)");
        int binary = documented(0).indexOf("BINARY(2)");
        assertThat(
                        fixture.rows(
                                String.format(
                                        "SELECT c%d, c%d AT TIME ZONE 'UTC', c%d FROM"
                                                + " raw_orders.orders",
                                        unsigned, timestamp, binary)))
                .containsExactly("18446744073709551615|2026-01-02 10:11:12.5|\\x6162");
    }

    @Test
    void everyColumnReadsBackFromParquetAsItsDuckDbType() throws Exception {
        fixture.destination =
                DestinationPlan.parquet(
                        "lake", new ParquetPlan("lake", List.of()), SyncFixture.SCHEMA);

        sync();

        List<String> types = new ArrayList<>();
        for (int index = 0; index < documented.size(); index++) {
            types.add(
                    landedType(
                            "SELECT data_type FROM information_schema.columns WHERE table_name ="
                                    + " 'orders' AND column_name = '{column}'",
                            index));
        }
        assertThat(types).containsExactlyElementsOf(documented(3));
    }
}

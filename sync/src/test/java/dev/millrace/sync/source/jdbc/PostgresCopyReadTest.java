package dev.millrace.sync.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.InterruptWatch;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COPY path for PostgreSQL sources lands exactly what the JDBC path lands, for every type it
 * takes and the values CSV makes awkward (NULL next to the empty string, quotes, commas, line
 * breaks, non-ASCII, a value larger than DuckDB's default line limit), leaves other types to JDBC,
 * and stops with nothing staged when the sync is interrupted.
 */
class PostgresCopyReadTest {

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private Connection source;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE everything (id int4 PRIMARY KEY, flag bool, small int2, big int8,"
                            + " ratio float4, measure float8, amount numeric(12,4), huge numeric,"
                            + " day date, at_time time, local_ts timestamp, zoned_ts timestamptz,"
                            + " note text, code varchar(20), padded char(5), ident uuid,"
                            + " doc json, docb jsonb)");
            s.execute(
                    "INSERT INTO everything VALUES"
                            + " (1, true, 7, 9000000000, 1.5, 2.25, 1234.5678,"
                            + " 123456789012345678901234567890.123456789, '2026-01-02',"
                            + " '10:11:12.345678', '2026-01-02 03:04:05.123456',"
                            + " '2026-01-02 03:04:05.123456+02', E'a,b \"quoted\"\\nnext line',"
                            + " 'é ü 漢字', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                            + " '{\"a\": [1, 2]}', '{\"b\": null}'),"
                            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                            + " (3, false, -32768, -1, -0.25, 'Infinity', -0.0001, 0,"
                            + " '1970-01-01', '00:00:00', '1999-12-31 23:59:59',"
                            + " '2000-01-01 00:00:00+00', '', '', '', NULL, 'null', '[]'),"
                            + " (4, NULL, NULL, NULL, NULL, 'NaN', NULL, NULL, NULL, NULL, NULL,"
                            + " NULL, repeat('x', 3000000), NULL, NULL, NULL, NULL, NULL)");
            s.execute("CREATE TABLE blobs (id int4, payload bytea)");
            s.execute("INSERT INTO blobs VALUES (1, '\\x00ff'::bytea)");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void connect() throws SQLException {
        source = postgres.getPostgresDatabase().getConnection();
        // As JdbcSource opens a PostgreSQL source.
        source.setAutoCommit(false);
        source.setReadOnly(true);
    }

    @AfterEach
    void disconnect() throws SQLException {
        source.close();
    }

    @Test
    void everyTypeTheCopyPathTakesLandsAsTheJdbcPathLandsIt() throws Exception {
        List<JdbcRead.SourceColumn> columns = JdbcRead.describe(source, "SELECT * FROM everything");
        assertThat(PostgresCopyRead.canRead(source, columns)).isTrue();

        List<String> viaCopy = staged("copy", table("everything"), null, true);
        source.rollback();
        List<String> viaJdbc = staged("jdbc", table("everything"), null, false);

        assertThat(viaCopy).hasSize(4).isEqualTo(viaJdbc);
        // NULL and the empty string stay apart; quotes, commas and line breaks survive.
        assertThat(viaCopy.get(1)).startsWith("2|null|null|");
        assertThat(viaCopy.get(2)).contains("+00|||     |null|");
        assertThat(viaCopy.get(0)).contains("a,b \"quoted\"\nnext line").contains("é ü 漢字");
        assertThat(viaCopy.get(3)).contains("x".repeat(3_000_000));
    }

    @Test
    void aSavedCursorIsAppliedInPostgresql() throws Exception {
        List<String> rows = staged("cursor", table("everything"), "2", true);

        assertThat(rows).extracting(r -> r.substring(0, r.indexOf('|'))).containsExactly("3", "4");
    }

    @Test
    void aTableWithATypeCsvCannotCarryIsReadThroughJdbc() throws Exception {
        assertThat(
                        PostgresCopyRead.canRead(
                                source, JdbcRead.describe(source, "SELECT * FROM blobs")))
                .isFalse();

        assertThat(staged("blobs", table("blobs"), null, true)).containsExactly("1|\\x00\\xFF");
    }

    @Test
    void anInterruptedReadStopsTheCopyAndLeavesNoThreadOrPipeBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> pipesBefore = copyDirectories(tmp);
        // Fifty million rows: far more than can be read before the interrupt lands.
        StreamPlan endless =
                new StreamPlan(
                        "endless",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        null,
                        null,
                        "SELECT i AS id, md5(i::text) AS name FROM generate_series(1, 50000000) i");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sync =
                new Thread(
                        () -> {
                            try (DuckDbSession session =
                                            DuckDbSession.open(
                                                    tempDir.resolve("cancel.duckdb"), "256MB");
                                    InterruptWatch watch = InterruptWatch.start(session)) {
                                JdbcRead.stage(session, source, endless, null, 0L, true);
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
        sync.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (copyThreads().isEmpty() && sync.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(copyThreads()).as("the COPY started").isNotEmpty();
        sync.interrupt();
        sync.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(sync.isAlive()).isFalse();
        assertThat(failure.get())
                .satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(SQLException.class),
                        e -> assertThat(e).isInstanceOf(CancellationException.class));
        assertThat(copyThreads()).isEmpty();
        assertThat(copyDirectories(tmp)).isEqualTo(pipesBefore);
    }

    private static List<String> copyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("millrace-pg-copy"))
                .toList();
    }

    private static StreamPlan table(String name) {
        return new StreamPlan(name, SyncMode.INCREMENTAL_APPEND, "id", List.of(), null, name, null);
    }

    /** The staged rows as text, ordered by id, one "|"-joined line per row ("null" for NULL). */
    private List<String> staged(String file, StreamPlan stream, String cursor, boolean copy)
            throws Exception {
        try (DuckDbSession session =
                DuckDbSession.open(tempDir.resolve(file + ".duckdb"), "256MB")) {
            StagedRows rows = JdbcRead.stage(session, source, stream, cursor, 0L, copy);
            String select =
                    rows.columns().stream()
                            .map(Column::name)
                            .map(
                                    c ->
                                            "coalesce(CAST("
                                                    + Sql.identifier(c)
                                                    + " AS VARCHAR), 'null')")
                            .collect(Collectors.joining(" || '|' || "));
            return session.query(
                    "SELECT "
                            + select
                            + " FROM "
                            + DuckDbSession.tempTable("_millrace_staged_rows")
                            + " ORDER BY id",
                    r -> r.getString(1));
        }
    }

    private static List<Path> copyDirectories(Path tmp) throws Exception {
        List<Path> found = new ArrayList<>();
        try (var listing = Files.list(tmp)) {
            listing.filter(p -> p.getFileName().toString().startsWith("millrace-copy-"))
                    .sorted()
                    .forEach(found::add);
        }
        return found;
    }
}

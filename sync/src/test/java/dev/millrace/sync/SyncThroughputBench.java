package dev.millrace.sync;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.DuckDbPlan;
import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.PostgresPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sync throughput, run by {@code bench/sync.sh} (not a test: surefire does not pick it up). Each
 * measured step is its own JVM — {@code SyncMain}, exactly what a Job runs, or DuckDB's own CTAS —
 * whose peak resident memory is read from {@code /proc/<pid>/status} while it runs.
 *
 * <p>Usage: {@code SyncThroughputBench <rows> <work folder>}, or {@code ctas <csv> <database>} for
 * the CTAS step, or {@code two-step <port> <query> <csv> <database>} for the manual PostgreSQL →
 * DuckDB path (what {@code psql \copy} then {@code read_csv} does: COPY to a CSV file, then a
 * CTAS).
 */
public final class SyncThroughputBench {

    private record Step(String name, long rows, double seconds, long peakKb) {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("ctas")) {
            ctas(args[1], args[2]);
            return;
        }
        if (args[0].equals("two-step")) {
            Path csv = Path.of(args[3]);
            try (Connection postgres =
                            DriverManager.getConnection(
                                    "jdbc:postgresql://localhost:" + args[1] + "/postgres",
                                    "postgres",
                                    "unused");
                    java.io.OutputStream out = Files.newOutputStream(csv)) {
                postgres.unwrap(org.postgresql.PGConnection.class)
                        .getCopyAPI()
                        .copyOut("COPY (" + args[2] + ") TO STDOUT (FORMAT csv, HEADER)", out);
            }
            ctas(args[3], args[4]);
            return;
        }
        long rows = Long.parseLong(args[0]);
        Path work = Path.of(args[1]).toAbsolutePath();
        Path data = Files.createDirectories(work.resolve("data/orders"));
        Path warehouse = Files.createDirectories(work.resolve("warehouse"));
        Path csv = data.resolve("orders.csv");
        long started = System.nanoTime();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            statement.execute(
                    "COPY (SELECT i AS order_id, 'customer-' || (i % 9973) AS customer, round(i %"
                            + " 1000 * 0.37, 2) AS amount, DATE '2026-01-01' + CAST(i % 365 AS"
                            + " INTEGER) AS order_date, TIMESTAMP '2026-01-01' + i * INTERVAL 1"
                            + " SECOND AS updated_at, md5(CAST(i AS VARCHAR)) AS note FROM"
                            + " range("
                            + rows
                            + ") t(i)) TO '"
                            + csv
                            + "' (HEADER)");
        }
        System.out.printf(
                Locale.ROOT,
                "generated %,d rows, %,d MB of CSV in %.1f s%n",
                rows,
                Files.size(csv) >> 20,
                (System.nanoTime() - started) / 1e9);

        List<Step> steps = new ArrayList<>();
        StreamPlan overwrite =
                new StreamPlan("orders", SyncMode.FULL_REFRESH_OVERWRITE, null, List.of(), null);
        SourcePlan csvSource =
                new SourcePlan("orders", "csv", new FilesPlan("orders", null, ",", true));
        Map<String, String> env =
                Map.of(
                        SyncEnvironment.DATA_ROOT,
                        work.resolve("data").toString(),
                        SyncEnvironment.WAREHOUSE_ROOT,
                        warehouse.toString(),
                        SyncMain.TERMINATION_LOG,
                        work.resolve("termination-log").toString(),
                        "MILLRACE_PG_PASSWORD",
                        "unused");

        steps.add(
                sync(
                        "CSV folder -> DuckDB (millrace sync)",
                        rows,
                        plan(
                                1,
                                csvSource,
                                new DestinationPlan(
                                        "warehouse",
                                        "duckdb",
                                        new DuckDbPlan("sync.duckdb"),
                                        "raw"),
                                overwrite),
                        env,
                        work));
        steps.add(
                run(
                        "CSV file -> DuckDB (DuckDB's own CTAS)",
                        rows,
                        List.of(
                                "ctas",
                                csv.toString(),
                                warehouse.resolve("ctas.duckdb").toString()),
                        Map.of()));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            PostgresPlan server =
                    new PostgresPlan(
                            "localhost",
                            postgres.getPort(),
                            "postgres",
                            "postgres",
                            "MILLRACE_PG_PASSWORD",
                            Map.of("sslmode", "disable"));
            steps.add(
                    sync(
                            "CSV folder -> PostgreSQL (millrace sync)",
                            rows,
                            plan(
                                    2,
                                    csvSource,
                                    DestinationPlan.postgres("pg", server, "raw"),
                                    overwrite),
                            env,
                            work));
            // The landed table's own columns, not Millrace's metadata columns, which a source
            // may not carry.
            String landedColumns =
                    "SELECT order_id, customer, amount, order_date, updated_at, note FROM"
                            + " raw.orders";
            SourcePlan pgSource =
                    new SourcePlan(
                            "pg",
                            "jdbc",
                            null,
                            new JdbcPlan(
                                    "postgres",
                                    "localhost",
                                    postgres.getPort(),
                                    "postgres",
                                    "postgres",
                                    "MILLRACE_PG_PASSWORD",
                                    Map.of("sslmode", "disable")));
            steps.add(
                    sync(
                            "PostgreSQL table -> Parquet (millrace sync)",
                            rows,
                            plan(
                                    3,
                                    pgSource,
                                    DestinationPlan.parquet(
                                            "lake", new ParquetPlan("lake", List.of()), "raw"),
                                    new StreamPlan(
                                            "orders",
                                            SyncMode.FULL_REFRESH_OVERWRITE,
                                            null,
                                            List.of(),
                                            null,
                                            null,
                                            landedColumns)),
                            env,
                            work));
            steps.add(
                    sync(
                            "PostgreSQL table -> DuckDB (millrace sync)",
                            rows,
                            plan(
                                    4,
                                    pgSource,
                                    new DestinationPlan(
                                            "warehouse",
                                            "duckdb",
                                            new DuckDbPlan("from-pg.duckdb"),
                                            "raw"),
                                    new StreamPlan(
                                            "orders",
                                            SyncMode.FULL_REFRESH_OVERWRITE,
                                            null,
                                            List.of(),
                                            null,
                                            null,
                                            landedColumns)),
                            env,
                            work));
            steps.add(
                    run(
                            "PostgreSQL table -> DuckDB (manual: COPY to CSV file, then read_csv)",
                            rows,
                            List.of(
                                    "two-step",
                                    Integer.toString(postgres.getPort()),
                                    landedColumns,
                                    work.resolve("two-step.csv").toString(),
                                    warehouse.resolve("two-step.duckdb").toString()),
                            Map.of()));
        }

        double ctas = steps.get(1).seconds();
        System.out.println();
        System.out.println("| step | rows | seconds | rows/s | peak RSS | time vs DuckDB CTAS |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Step step : steps) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %.1f | %,.0f | %,d MB | %.2f× |%n",
                    step.name(),
                    step.rows(),
                    step.seconds(),
                    step.rows() / step.seconds(),
                    step.peakKb() >> 10,
                    step.seconds() / ctas);
        }
        Step fromPostgres = steps.get(4);
        Step manual = steps.get(5);
        System.out.printf(
                Locale.ROOT,
                "%nPostgreSQL -> DuckDB: millrace sync %,.0f rows/s, the manual two-step path %,.0f"
                        + " rows/s; millrace takes %.2f× the manual path's time%n",
                fromPostgres.rows() / fromPostgres.seconds(),
                manual.rows() / manual.seconds(),
                fromPostgres.seconds() / manual.seconds());
    }

    /** DuckDB's own load of a CSV file: the reference every Millrace load is compared with. */
    private static void ctas(String csv, String database) throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = duckdb.createStatement()) {
            statement.execute("SET memory_limit = '512MB'");
            statement.execute(
                    "CREATE TABLE orders AS SELECT * FROM read_csv('"
                            + csv.replace("'", "''")
                            + "')");
        }
    }

    private static SyncPlan plan(
            long jobId, SourcePlan source, DestinationPlan destination, StreamPlan stream) {
        return new SyncPlan(
                jobId, "bench", "bench", source, destination, List.of(stream), false, false);
    }

    private static Step sync(
            String name, long rows, SyncPlan plan, Map<String, String> env, Path work)
            throws Exception {
        Path planFile = work.resolve("plan-" + plan.jobId() + ".json");
        Files.writeString(planFile, PlanJson.write(plan));
        return run(name, rows, List.of("--plan", "@" + planFile), env, SyncMain.class.getName());
    }

    private static Step run(String name, long rows, List<String> args, Map<String, String> env)
            throws Exception {
        return run(name, rows, args, env, SyncThroughputBench.class.getName());
    }

    private static Step run(
            String name, long rows, List<String> args, Map<String, String> env, String mainClass)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long peakKb = 0;
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (java.io.IOException exited) {
                break;
            }
            process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(name + " exited with " + exit);
        }
        System.out.printf(
                Locale.ROOT, "%s: %.1f s, peak RSS %,d MB%n", name, seconds, peakKb >> 10);
        return new Step(name, rows, seconds, peakKb);
    }
}

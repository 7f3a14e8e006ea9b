package dev.millrace.sync;

import dev.millrace.sync.plan.InvalidPlanException;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.source.jdbc.JdbcCatalog;
import dev.millrace.sync.source.jdbc.JdbcSource;
import dev.millrace.sync.source.rest.RestCatalog;
import dev.millrace.sync.source.rest.RestHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a sync Job's container runs. It prints log lines, then the result JSON as the last line, and
 * writes the same JSON to the termination log, where the operator reads it from the Pod status.
 *
 * <p>Exit codes: 0 succeeded, 1 failed or cancelled, 2 the plan (or the command line) is invalid.
 */
public final class SyncMain {

    public static final String PLAN = "MILLRACE_SYNC_PLAN";
    public static final String TERMINATION_LOG = "MILLRACE_TERMINATION_LOG";
    public static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";

    public static final int EXIT_SUCCEEDED = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_INVALID_PLAN = 2;

    private static final String USAGE = "usage: sync [--discover] [--plan <json> | --plan @<file>]";

    private SyncMain() {}

    public static void main(String[] args) {
        Thread syncThread = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        // Kubernetes stops a deleted Job's pod with SIGTERM: interrupt the sync so it rolls back
        // and reports "cancelled" before the JVM exits.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    shuttingDown.set(true);
                                    if (!finished.get()) {
                                        syncThread.interrupt();
                                        joinQuietly(syncThread);
                                    }
                                },
                                "millrace-sync-shutdown"));
        int exitCode = run(args, System.getenv(), System.out);
        finished.set(true);
        if (!shuttingDown.get()) {
            // During shutdown System.exit would block forever; the JVM is exiting anyway.
            System.exit(exitCode);
        }
    }

    /**
     * Runs one sync with the given environment and prints to {@code out}. Never exits the JVM and
     * never reads the process environment, so that local mode can run Jobs in threads; interrupting
     * the calling thread cancels the sync.
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        if (List.of(args).contains("--discover")) {
            return discover(
                    List.of(args).stream()
                            .filter(arg -> !arg.equals("--discover"))
                            .toArray(String[]::new),
                    env,
                    out);
        }
        Instant startedAt = Instant.now();
        SyncLog log = line -> out.println(Instant.now() + " " + line);
        SyncResult result;
        int exitCode;
        String planJson = null;
        try {
            planJson = planJson(args, env);
            SyncPlan plan = PlanJson.read(planJson);
            SyncProgress progress = new SyncProgress();
            try (ProgressReporter reporter = ProgressReporter.start(env, progress, log)) {
                result = new SyncRunner(log, progress).run(plan, SyncEnvironment.from(env));
            }
            exitCode = result.succeeded() ? EXIT_SUCCEEDED : EXIT_FAILED;
        } catch (InvalidPlanException e) {
            log.info("invalid plan: " + e.getMessage());
            result =
                    SyncResult.failed(
                            PlanJson.jobIdOf(planJson),
                            startedAt,
                            "invalid plan: " + e.getMessage(),
                            false);
            exitCode = EXIT_INVALID_PLAN;
        }
        String json = result.toJson();
        // File channels refuse to work for an interrupted thread, and a cancelled sync must
        // still leave its result behind.
        boolean interrupted = Thread.interrupted();
        try {
            writeTerminationLog(json, env, log);
            out.println(json);
            out.flush();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return exitCode;
    }

    /**
     * Prints the catalog of a jdbc, rest or stripe source (streams, columns with landed types,
     * primary keys, cursor candidates) as one JSON line. Only the plan's source is used, and for an
     * API its streams, whose first page each is read.
     */
    private static int discover(String[] args, Map<String, String> env, PrintStream out) {
        try {
            String json = planJson(args, env);
            SourcePlan source = PlanJson.readSource(json);
            if (source.isRestSource()) {
                List<StreamPlan> streams = PlanJson.readDiscoveryStreams(json, source);
                try (RestHttp http =
                        RestHttp.open(source.rest(), SyncEnvironment.from(env), line -> {})) {
                    out.println(RestCatalog.discover(source, streams, http));
                    return EXIT_SUCCEEDED;
                }
            }
            try (Connection connection =
                    JdbcSource.open(source.jdbc(), SyncEnvironment.from(env))) {
                out.println(JdbcCatalog.discover(connection));
                return EXIT_SUCCEEDED;
            }
        } catch (InvalidPlanException e) {
            out.println(errorJson("invalid plan: " + e.getMessage()));
            return EXIT_INVALID_PLAN;
        } catch (SQLException | RuntimeException e) {
            out.println(errorJson("discovery failed: " + e.getMessage()));
            return EXIT_FAILED;
        }
    }

    private static String errorJson(String message) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("error", message)
                .toString();
    }

    private static String planJson(String[] args, Map<String, String> env) {
        String plan = null;
        for (int index = 0; index < args.length; index++) {
            String arg = args[index];
            if (arg.equals("--plan")) {
                if (index + 1 >= args.length) {
                    throw new InvalidPlanException(List.of("--plan: missing value; " + USAGE));
                }
                plan = args[++index];
            } else if (arg.startsWith("--plan=")) {
                plan = arg.substring("--plan=".length());
            } else {
                throw new InvalidPlanException(
                        List.of("arguments: unknown argument \"" + arg + "\"; " + USAGE));
            }
        }
        if (plan == null) {
            plan = env.get(PLAN);
        }
        if (plan != null && plan.startsWith("@")) {
            Path file = Path.of(plan.substring(1));
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidPlanException(
                        List.of("--plan: cannot read plan file " + file + ": " + e.getMessage()));
            }
        }
        return plan;
    }

    /**
     * Kubernetes mounts the termination log in every container; outside a pod (tests, a laptop) its
     * folder usually does not exist, which means there is nobody to tell.
     */
    public static void writeTerminationLog(String json, Map<String, String> env, SyncLog log) {
        Path path = Path.of(SyncEnvironment.valueOr(env, TERMINATION_LOG, DEFAULT_TERMINATION_LOG));
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        try {
            Files.writeString(path, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.info("could not write the termination log " + path + ": " + e.getMessage());
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

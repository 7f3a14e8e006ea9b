package dev.millrace.sync.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.sync.SyncEnvironment;
import dev.millrace.sync.SyncLog;
import dev.millrace.sync.SyncMain;
import dev.millrace.sync.plan.InvalidPlanException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * What a model run Job's container runs ({@code millrace model-run}): builds the model, prints log
 * lines and then the result JSON as the last line, and writes the same JSON to the termination log,
 * exactly as a sync does. Exit codes: 0 succeeded, 1 failed or cancelled, 2 invalid plan.
 *
 * <p>The result: {@code {"jobId", "status": succeeded|failed|cancelled, "model", "relation",
 * "materialization", "rowCount" (tables only), "startedAt", "endedAt", "error"}}.
 */
public final class ModelRunMain {
    public static final String PLAN = "MILLRACE_MODEL_PLAN";
    private static final String USAGE = "usage: model-run [--plan <json> | --plan @<file>]";

    private ModelRunMain() {}

    /** Runs one model build; never exits the JVM, so that local mode can run it in a thread. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        Instant startedAt = Instant.now();
        SyncLog log = line -> out.println(Instant.now() + " " + line);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        String planJson = null;
        int exitCode;
        try {
            planJson = planJson(args, env);
            ModelPlan plan = ModelPlan.read(planJson);
            result.put("jobId", plan.jobId());
            result.put("model", plan.model());
            result.put("materialization", plan.materialization());
            try {
                ModelBuild.Built built = new ModelBuild(log).run(plan, SyncEnvironment.from(env));
                result.put("status", "succeeded");
                result.put("relation", built.relation());
                if (built.rowCount() != null) {
                    result.put("rowCount", built.rowCount());
                }
                exitCode = SyncMain.EXIT_SUCCEEDED;
            } catch (Exception e) {
                boolean cancelled =
                        ModelBuild.isCancellation(e) || Thread.currentThread().isInterrupted();
                result.put("status", cancelled ? "cancelled" : "failed");
                result.put("error", cancelled ? "the model run was cancelled" : message(e));
                log.info("model run failed: " + message(e));
                exitCode = SyncMain.EXIT_FAILED;
            }
        } catch (InvalidPlanException e) {
            result.put("jobId", ModelPlan.jobIdOf(planJson));
            result.put("status", "failed");
            result.put("error", "invalid plan: " + e.getMessage());
            log.info("invalid plan: " + e.getMessage());
            exitCode = SyncMain.EXIT_INVALID_PLAN;
        }
        result.put("startedAt", startedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        result.put("endedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        String json = result.toString();
        boolean interrupted = Thread.interrupted();
        try {
            SyncMain.writeTerminationLog(json, env, log);
            out.println(json);
            out.flush();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return exitCode;
    }

    /** DuckDB's message without the driver's stack-trace-like tail; it never holds secrets. */
    private static String message(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf("\n\nLINE");
        message = newline > 0 ? message.substring(0, newline) : message;
        return message.length() > 1000 ? message.substring(0, 1000) + "…" : message;
    }

    private static String planJson(String[] args, Map<String, String> env) {
        String plan = null;
        for (int index = 0; index < args.length; index++) {
            String arg = args[index];
            if (arg.equals("--plan") && index + 1 < args.length) {
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
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(plan.substring(1)));
            } catch (java.io.IOException e) {
                throw new InvalidPlanException(List.of("--plan: cannot read " + plan.substring(1)));
            }
        }
        return plan;
    }
}

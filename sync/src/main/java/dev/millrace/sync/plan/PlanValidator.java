package dev.millrace.sync.plan;

import dev.millrace.sync.source.json.JsonScan;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what JSON types cannot: required fields, the source and destination types this engine
 * supports, and the cross-field rules of sync modes. Every problem is reported, not just the first,
 * so one failed Job shows everything to fix.
 */
public final class PlanValidator {

    /** Schema holding the ledger and stream state inside the destination; streams cannot use it. */
    public static final String STATE_SCHEMA = "_millrace";

    private PlanValidator() {}

    public static void check(SyncPlan plan) {
        List<String> problems = problems(plan);
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
    }

    public static List<String> problems(SyncPlan plan) {
        List<String> problems = new ArrayList<>();
        if (plan.jobId() == null) {
            problems.add("jobId: required");
        } else if (plan.jobId() < 0) {
            problems.add("jobId: must not be negative, was " + plan.jobId());
        }
        requireText(problems, "namespace", plan.namespace());
        requireText(problems, "connection", plan.connection());
        checkSource(problems, plan.source());
        checkDestination(problems, plan.destination());
        checkStreams(problems, plan.streams());
        if (plan.source() != null && SourcePlan.JDBC.equals(plan.source().type())) {
            checkJdbcStreams(problems, plan.streams());
        }
        if (plan.source() != null && plan.source().isRestSource()) {
            RestPlanRules.checkStreams(problems, plan.source(), plan.streams());
        }
        return problems;
    }

    /** The problems of a plan's source alone. */
    public static List<String> sourceProblems(SourcePlan source) {
        List<String> problems = new ArrayList<>();
        checkSource(problems, source);
        return problems;
    }

    private static void checkSource(List<String> problems, SourcePlan source) {
        if (source == null) {
            problems.add("source: required");
            return;
        }
        if (source.type() == null) {
            problems.add("source.type: required");
        } else if (SourcePlan.JDBC.equals(source.type())) {
            checkJdbc(problems, source.jdbc());
            return;
        } else if (source.isRestSource()) {
            RestPlanRules.checkSource(problems, source);
            return;
        } else if (!SourcePlan.FILE_TYPES.contains(source.type())) {
            problems.add(
                    "source.type: unsupported value \""
                            + source.type()
                            + "\" (this sync engine reads "
                            + String.join(", ", SourcePlan.FILE_TYPES)
                            + ", jdbc, rest, stripe)");
        }
        FilesPlan files = source.files();
        if (files == null) {
            problems.add("source.files: required for a file source");
            return;
        }
        requireText(problems, "source.files.directory", files.directory());
        checkGlob(problems, "source.files.glob", files.glob());
        if (files.delimiter() != null && files.delimiter().isEmpty()) {
            problems.add("source.files.delimiter: must not be empty (omit it to let DuckDB sniff)");
        }
        if (files.format() != null) {
            if (!SourcePlan.JSON.equals(source.type())) {
                problems.add("source.files.format: only json sources have a format");
            } else if (!JsonScan.FORMATS.contains(files.format())) {
                problems.add(
                        "source.files.format: unsupported value \""
                                + files.format()
                                + "\" (expected one of "
                                + String.join(", ", JsonScan.FORMATS)
                                + ")");
            }
        }
    }

    private static void checkJdbc(List<String> problems, JdbcPlan jdbc) {
        if (jdbc == null) {
            problems.add("source.jdbc: required for a jdbc source");
            return;
        }
        if (jdbc.driver() == null) {
            problems.add(
                    "source.jdbc.driver: required (one of "
                            + String.join(", ", JdbcPlan.DRIVERS)
                            + ")");
        } else if (!JdbcPlan.DRIVERS.contains(jdbc.driver())) {
            problems.add(
                    "source.jdbc.driver: unsupported value \""
                            + jdbc.driver()
                            + "\" (expected one of "
                            + String.join(", ", JdbcPlan.DRIVERS)
                            + ")");
        }
        requireText(problems, "source.jdbc.database", jdbc.database());
        if (JdbcPlan.POSTGRES.equals(jdbc.driver()) || jdbc.isMySql()) {
            requireText(problems, "source.jdbc.host", jdbc.host());
        }
        if (jdbc.port() != null && (jdbc.port() < 1 || jdbc.port() > 65535)) {
            problems.add("source.jdbc.port: must be between 1 and 65535, was " + jdbc.port());
        }
        if (jdbc.passwordEnv() != null) {
            requireText(problems, "source.jdbc.passwordEnv", jdbc.passwordEnv());
        }
    }

    private static void checkDestination(List<String> problems, DestinationPlan destination) {
        if (destination == null) {
            problems.add("destination: required");
            return;
        }
        if (destination.type() == null) {
            problems.add("destination.type: required");
        } else if (!DestinationPlan.TYPES.contains(destination.type())) {
            problems.add(
                    "destination.type: unsupported value \""
                            + destination.type()
                            + "\" (this sync engine writes "
                            + String.join(", ", DestinationPlan.TYPES)
                            + ")");
        } else {
            switch (destination.type()) {
                case DestinationPlan.DUCKDB -> {
                    if (destination.duckdb() == null) {
                        problems.add("destination.duckdb: required for a duckdb destination");
                    } else {
                        requireText(
                                problems, "destination.duckdb.path", destination.duckdb().path());
                    }
                }
                case DestinationPlan.POSTGRES -> checkPostgres(problems, destination.postgres());
                default -> checkParquet(problems, destination.parquet());
            }
        }
        requireText(problems, "destination.schema", destination.schema());
        if (destination.schema() != null
                && destination.schema().toLowerCase(Locale.ROOT).equals(STATE_SCHEMA)) {
            problems.add(
                    "destination.schema: \""
                            + destination.schema()
                            + "\" is reserved for Millrace's sync state");
        }
    }

    private static void checkPostgres(List<String> problems, PostgresPlan postgres) {
        if (postgres == null) {
            problems.add("destination.postgres: required for a postgres destination");
            return;
        }
        requireText(problems, "destination.postgres.host", postgres.host());
        requireText(problems, "destination.postgres.database", postgres.database());
        if (postgres.port() != null && (postgres.port() < 1 || postgres.port() > 65535)) {
            problems.add(
                    "destination.postgres.port: must be between 1 and 65535, was "
                            + postgres.port());
        }
        if (postgres.passwordEnv() != null) {
            requireText(problems, "destination.postgres.passwordEnv", postgres.passwordEnv());
        }
    }

    private static void checkParquet(List<String> problems, ParquetPlan parquet) {
        if (parquet == null) {
            problems.add("destination.parquet: required for a parquet destination");
            return;
        }
        requireText(problems, "destination.parquet.path", parquet.path());
        for (int index = 0; index < parquet.partitionBy().size(); index++) {
            String field = "destination.parquet.partitionBy[" + index + "]";
            String column = parquet.partitionBy().get(index);
            if (requireText(problems, field, column)
                    && column.toLowerCase(Locale.ROOT).startsWith("_millrace_")) {
                problems.add(field + ": Millrace's metadata columns cannot partition a stream");
            }
        }
    }

    private static void checkStreams(List<String> problems, List<StreamPlan> streams) {
        if (streams.isEmpty()) {
            problems.add("streams: at least one stream is required");
            return;
        }
        // DuckDB table names are case-insensitive, so "Orders" and "orders" would share a table.
        Map<String, Integer> firstIndexByTable = new HashMap<>();
        for (int index = 0; index < streams.size(); index++) {
            String field = "streams[" + index + "]";
            StreamPlan stream = streams.get(index);
            if (stream == null) {
                problems.add(field + ": must be an object");
                continue;
            }
            requireText(problems, field + ".name", stream.name());
            if (stream.name() != null) {
                Integer previous =
                        firstIndexByTable.putIfAbsent(
                                stream.name().toLowerCase(Locale.ROOT), index);
                if (previous != null) {
                    problems.add(
                            field
                                    + ".name: \""
                                    + stream.name()
                                    + "\" lands in the same table as streams["
                                    + previous
                                    + "]");
                }
            }
            if (stream.syncMode() == null) {
                problems.add(
                        field
                                + ".syncMode: required (one of "
                                + String.join(", ", SyncMode.wireNames())
                                + ")");
            }
            if (stream.cursorField() != null) {
                requireText(problems, field + ".cursorField", stream.cursorField());
            }
            for (int key = 0; key < stream.primaryKey().size(); key++) {
                requireText(
                        problems, field + ".primaryKey[" + key + "]", stream.primaryKey().get(key));
            }
            if (stream.syncMode() == SyncMode.INCREMENTAL_DEDUPED_HISTORY
                    && stream.primaryKey().isEmpty()) {
                problems.add(field + ".primaryKey: required by incremental_deduped_history");
            }
            if (stream.glob() != null) {
                checkGlob(problems, field + ".glob", stream.glob());
            }
        }
    }

    private static void checkJdbcStreams(List<String> problems, List<StreamPlan> streams) {
        for (int index = 0; index < streams.size(); index++) {
            String field = "streams[" + index + "]";
            StreamPlan stream = streams.get(index);
            if (stream == null) {
                continue;
            }
            if ((stream.table() == null) == (stream.query() == null)) {
                problems.add(field + ": a jdbc stream needs exactly one of table and query");
            } else if (stream.table() != null) {
                requireText(problems, field + ".table", stream.table());
            } else {
                requireText(problems, field + ".query", stream.query());
            }
            // A table has no files to tell new rows from old ones: only a cursor can.
            if (stream.syncMode() == SyncMode.INCREMENTAL_APPEND && !stream.hasCursor()) {
                problems.add(
                        field + ".cursorField: required by incremental_append on a jdbc source");
            }
        }
    }

    private static void checkGlob(List<String> problems, String field, String glob) {
        if (!requireText(problems, field, glob)) {
            return;
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            problems.add(field + ": not a valid glob: " + e.getDescription());
        }
    }

    /**
     * Names become SQL identifiers, ledger keys and paths: they must be present and printable.
     *
     * @return whether the value passed
     */
    static boolean requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + ": required");
            return false;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + ": must not contain control characters");
            return false;
        }
        return true;
    }
}

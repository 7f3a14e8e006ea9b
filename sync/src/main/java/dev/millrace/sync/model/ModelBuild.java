package dev.millrace.sync.model;

import dev.millrace.sync.SyncEnvironment;
import dev.millrace.sync.SyncLog;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.InterruptWatch;
import dev.millrace.sync.destination.duckdb.Sql;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Builds one model in its DuckDB destination, in one transaction: the schema if missing, then
 * {@code CREATE OR REPLACE VIEW|TABLE}. A failure rolls everything back, so the previous view or
 * table stays exactly as it was.
 */
public final class ModelBuild {
    private final SyncLog log;

    public ModelBuild(SyncLog log) {
        this.log = log;
    }

    /** What the build made; {@code rowCount} is null for a view (counting would run the query). */
    public record Built(String relation, Long rowCount) {}

    /**
     * Builds the model. Two writers inside one process share one DuckDB database, and DuckDB
     * refuses the second of two transactions that create the same catalog entry (e.g. the schema)
     * at once; such a conflict is retried a few times, since the other writer has committed by
     * then.
     */
    public Built run(ModelPlan plan, SyncEnvironment environment) throws SQLException, IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(plan, environment);
            } catch (SQLException e) {
                if (attempt >= CONFLICT_ATTEMPTS || !isWriteConflict(e)) {
                    throw e;
                }
                log.info("write conflict with another writer of the warehouse; trying again");
                try {
                    Thread.sleep(250L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int CONFLICT_ATTEMPTS = 4;

    private static boolean isWriteConflict(SQLException e) {
        return String.valueOf(e.getMessage()).contains("write-write conflict");
    }

    private Built runOnce(ModelPlan plan, SyncEnvironment environment)
            throws SQLException, IOException {
        Path file = environment.databaseFile(plan.databasePath());
        String relation = Sql.identifier(plan.schema()) + "." + Sql.identifier(plan.model());
        log.info("building " + plan.materialization() + " " + relation + " in " + file);
        DuckDbSession session;
        try {
            session = DuckDbSession.open(file, environment.duckDbMemoryLimit());
        } catch (SQLException e) {
            throw lockAware(e, file);
        }
        try (session;
                InterruptWatch watch = InterruptWatch.start(session)) {
            try {
                String target = session.table(plan.schema(), plan.model());
                session.update("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(plan.schema()));
                dropOtherKind(session, plan, target);
                // The SELECT goes inside a subquery, so that text after a ';' in the model cannot
                // become a second statement; a trailing comment is ended by the newline.
                String select =
                        "SELECT * FROM (\n"
                                + withoutTrailingSemicolons(plan.sql())
                                + "\n) AS model";
                session.update(
                        "CREATE OR REPLACE "
                                + (ModelPlan.TABLE.equals(plan.materialization())
                                        ? "TABLE "
                                        : "VIEW ")
                                + target
                                + " AS "
                                + select);
                Long rows =
                        ModelPlan.TABLE.equals(plan.materialization())
                                ? session.queryLong("SELECT count(*) FROM " + target)
                                : null;
                watch.close();
                session.commit();
                log.info("built " + relation + (rows == null ? "" : " with " + rows + " rows"));
                return new Built(relation, rows);
            } catch (SQLException | RuntimeException e) {
                watch.close();
                session.rollback();
                throw e;
            }
        }
    }

    /**
     * A view cannot be replaced by a table (or the other way round); drop it in the same
     * transaction.
     */
    private static void dropOtherKind(DuckDbSession session, ModelPlan plan, String target)
            throws SQLException {
        List<String> kinds =
                session.query(
                        "SELECT table_type FROM information_schema.tables"
                                + " WHERE table_catalog = current_database()"
                                + " AND table_schema = "
                                + Sql.literal(plan.schema())
                                + " AND table_name = "
                                + Sql.literal(plan.model()),
                        row -> row.getString(1));
        for (String kind : kinds) {
            boolean isView = kind.toUpperCase(Locale.ROOT).contains("VIEW");
            boolean wantView = ModelPlan.VIEW.equals(plan.materialization());
            if (isView != wantView) {
                session.update((isView ? "DROP VIEW " : "DROP TABLE ") + target);
            }
        }
    }

    static String withoutTrailingSemicolons(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /**
     * DuckDB lets one process write a file at a time. A sync (or another model run) in another
     * process holding it makes the open fail; say so plainly instead of DuckDB's IO error alone.
     */
    private static SQLException lockAware(SQLException e, Path file) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("lock")) {
            return new SQLException(
                    "the warehouse "
                            + file.getFileName()
                            + " is locked by another process (a sync or another model run is"
                            + " writing it); run the model again when it has finished: "
                            + message,
                    e);
        }
        return e;
    }

    static boolean isCancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CancellationException
                    || String.valueOf(t.getMessage()).contains("Interrupted")) {
                return true;
            }
        }
        return false;
    }
}

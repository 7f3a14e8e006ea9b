package dev.millrace.store.migration;

import dev.millrace.store.StoreException;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store database up to the schema this build expects by applying the versioned SQL scripts
 * under {@value #LOCATION} on the classpath, in version order, each in its own transaction, and
 * recording them in {@code schema_version}.
 *
 * <p>This is the store's own small runner because Flyway and Liquibase do not support DuckDB, the
 * default store database. It keeps their contract where it matters: an applied migration is never
 * edited (a changed checksum refuses to open the store), a new migration is applied exactly once,
 * and a migration older than one already applied is refused rather than applied out of order.
 * Migrations the database has but this build does not know (a newer Millrace wrote them) are
 * reported and left alone. Scripts must be SQL that DuckDB and PostgreSQL both accept; both run DDL
 * inside transactions, so a failing migration leaves nothing behind.
 */
public final class MigrationRunner {

    public static final String LOCATION = "db/migration";

    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

    /**
     * The key of PostgreSQL's advisory lock around migrations: "millrace" in ASCII, as a bigint.
     */
    private static final long ADVISORY_LOCK_KEY = 0x6d696c6c72616365L;

    private final List<Migration> migrations;

    private MigrationRunner(List<Migration> migrations) {
        this.migrations = migrations;
    }

    /** The migrations under {@value #LOCATION} that {@code loader} sees. */
    public static MigrationRunner fromClasspath(ClassLoader loader) {
        List<Migration> migrations = ClasspathMigrations.find(loader, LOCATION);
        if (migrations.isEmpty()) {
            // Opening a store without its schema would only fail later, at the first query, with a
            // missing-table message that hides the cause: a jar packaged without its directory
            // entries, or a class loader that cannot see the store's resources.
            throw new StoreException(
                    "no migrations found under "
                            + LOCATION
                            + " on the classpath; the store's schema cannot be created");
        }
        return new MigrationRunner(migrations);
    }

    /** The migrations this runner would apply to an empty database, in order. */
    public List<Migration> migrations() {
        return migrations;
    }

    /**
     * Applies the migrations {@code connection}'s database does not have yet and returns them.
     * Leaves the connection with auto-commit off.
     *
     * @throws StoreException if an applied migration has changed, a new migration is older than an
     *     applied one, or a migration fails (that migration is rolled back; earlier ones stay)
     */
    public List<Migration> migrate(Connection connection) {
        try {
            connection.setAutoCommit(false);
            boolean shared = isPostgreSql(connection);
            if (shared) {
                lockOutOtherProcesses(connection);
            }
            try {
                createVersionTable(connection);
                Map<Integer, AppliedMigration> applied = appliedMigrations(connection);
                List<Migration> pending = pendingAfterChecking(applied);
                List<Migration> done = new ArrayList<>();
                for (Migration migration : pending) {
                    apply(connection, migration);
                    done.add(migration);
                }
                return done;
            } finally {
                if (shared) {
                    unlock(connection);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(
                    "could not read the store's schema version: " + e.getMessage(), e);
        }
    }

    private static boolean isPostgreSql(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * A PostgreSQL store is shared by processes that start together (the operator and every API
     * replica of a fresh install): without a lock each reads the same applied versions and all but
     * one fail on "relation already exists". A session-level advisory lock makes them migrate in
     * turn, so the later ones find the work done. (DuckDB has one writing process.)
     */
    private static void lockOutOtherProcesses(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
        }
        connection.commit();
    }

    private static void unlock(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
            connection.commit();
        } catch (SQLException e) {
            // The lock is the session's: it goes with the connection if it cannot be released.
            log.warn("Could not release the store's migration lock: {}", e.getMessage());
        }
    }

    private record AppliedMigration(int version, String description, String checksum) {}

    private static void createVersionTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                            + " version INTEGER PRIMARY KEY,"
                            + " description VARCHAR NOT NULL,"
                            + " checksum VARCHAR NOT NULL,"
                            + " applied_at TIMESTAMPTZ NOT NULL)");
        }
        connection.commit();
    }

    private static Map<Integer, AppliedMigration> appliedMigrations(Connection connection)
            throws SQLException {
        Map<Integer, AppliedMigration> applied = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT version, description, checksum FROM schema_version")) {
            while (rows.next()) {
                AppliedMigration row =
                        new AppliedMigration(
                                rows.getInt("version"),
                                rows.getString("description"),
                                rows.getString("checksum"));
                applied.put(row.version(), row);
            }
        }
        connection.commit();
        return applied;
    }

    private List<Migration> pendingAfterChecking(Map<Integer, AppliedMigration> applied) {
        int newestApplied = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Migration> pending = new ArrayList<>();
        for (Migration migration : migrations) {
            AppliedMigration record = applied.get(migration.version());
            if (record == null) {
                if (migration.version() < newestApplied) {
                    throw new StoreException(
                            "migration "
                                    + migration.label()
                                    + " in "
                                    + migration.resource()
                                    + " is new but older than V"
                                    + newestApplied
                                    + ", which this database already has; give it a version"
                                    + " above "
                                    + newestApplied);
                }
                pending.add(migration);
            } else if (!record.checksum().equals(migration.checksum())) {
                throw new StoreException(
                        "migration "
                                + migration.label()
                                + " has changed since it was applied to this database"
                                + " (checksum recorded "
                                + record.checksum()
                                + ", "
                                + migration.resource()
                                + " now has "
                                + migration.checksum()
                                + "); applied migrations must not be edited: restore the file"
                                + " and put the change in a new migration");
            }
        }
        applied.values().stream()
                .filter(
                        record ->
                                migrations.stream().noneMatch(m -> m.version() == record.version()))
                .forEach(
                        record ->
                                log.warn(
                                        "The store database has migration V{} ({}) that this"
                                                + " build does not know; a newer Millrace applied"
                                                + " it. Continuing with the schema as it is.",
                                        record.version(),
                                        record.description()));
        return pending;
    }

    private static void apply(Connection connection, Migration migration) {
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(migration.script());
            }
            try (PreparedStatement record =
                    connection.prepareStatement(
                            "INSERT INTO schema_version (version, description, checksum,"
                                    + " applied_at) VALUES (?, ?, ?, ?)")) {
                record.setInt(1, migration.version());
                record.setString(2, migration.description());
                record.setString(3, migration.checksum());
                JdbcValues.setInstant(record, 4, Instant.now());
                record.executeUpdate();
            }
            connection.commit();
            log.info("Applied store migration {}", migration.label());
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw new StoreException(
                    "migration "
                            + migration.label()
                            + " from "
                            + migration.resource()
                            + " failed and was rolled back: "
                            + e.getMessage(),
                    e);
        }
    }
}

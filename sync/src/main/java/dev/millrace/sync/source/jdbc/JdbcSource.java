package dev.millrace.sync.source.jdbc;

import dev.millrace.sync.SyncEnvironment;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.result.SyncFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Opens the database of a jdbc source, read-only where the driver allows it. */
public final class JdbcSource {

    private JdbcSource() {}

    public static Connection open(JdbcPlan plan, SyncEnvironment env) throws SQLException {
        Properties properties = new Properties();
        plan.options().forEach(properties::setProperty);
        String url;
        switch (plan.driver()) {
            case JdbcPlan.POSTGRES -> {
                url =
                        "jdbc:postgresql://"
                                + plan.host()
                                + ":"
                                + (plan.port() == null ? 5432 : plan.port())
                                + "/"
                                + plan.database();
                credentials(plan, env, properties);
                properties.putIfAbsent("ApplicationName", "millrace-sync");
            }
            case JdbcPlan.MYSQL, JdbcPlan.MARIADB -> {
                // MariaDB Connector/J speaks to MySQL servers too (jdbc:mysql: needs a flag).
                url =
                        "jdbc:mariadb://"
                                + plan.host()
                                + ":"
                                + (plan.port() == null ? 3306 : plan.port())
                                + "/"
                                + plan.database();
                credentials(plan, env, properties);
                properties.putIfAbsent("connectionAttributes", "program_name:millrace-sync");
            }
            case JdbcPlan.SQLITE -> {
                url = "jdbc:sqlite:" + existingFile(plan, env);
                properties.putIfAbsent("open_mode", "1"); // SQLITE_OPEN_READONLY
            }
            case JdbcPlan.DUCKDB -> {
                url = "jdbc:duckdb:" + existingFile(plan, env);
                properties.putIfAbsent("duckdb.read_only", "true");
            }
            default -> throw new SyncFailure("unsupported jdbc driver " + plan.driver());
        }
        Connection connection = DriverManager.getConnection(url, properties);
        if (JdbcPlan.POSTGRES.equals(plan.driver())) {
            // pgjdbc streams a result with a fetch size only inside a transaction; otherwise it
            // reads the whole result into the heap first.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
        } else if (plan.isMySql()) {
            // TIMESTAMP columns are instants the server converts to the session's zone: in UTC
            // they read the same whatever the server's or the JVM's zone (see SourceDialect).
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET time_zone = '+00:00'");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            connection.setReadOnly(true);
        }
        return connection;
    }

    private static void credentials(JdbcPlan plan, SyncEnvironment env, Properties properties) {
        if (plan.username() != null) {
            properties.setProperty("user", plan.username());
        }
        String password = password(plan, env);
        if (password != null) {
            properties.setProperty("password", password);
        }
    }

    private static String password(JdbcPlan plan, SyncEnvironment env) {
        if (plan.passwordEnv() == null) {
            return null;
        }
        String password = env.variable(plan.passwordEnv());
        if (password == null) {
            throw new SyncFailure(
                    "environment variable "
                            + plan.passwordEnv()
                            + " (source.jdbc.passwordEnv) is not set; the Job gets it from the"
                            + " Connector's secretRef");
        }
        return password;
    }

    /** A missing database file is an error: the drivers would silently create an empty one. */
    private static Path existingFile(JdbcPlan plan, SyncEnvironment env) {
        Path file = env.dataRoot().resolve(plan.database()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new SyncFailure(plan.driver() + " database file " + file + " does not exist");
        }
        return file;
    }
}

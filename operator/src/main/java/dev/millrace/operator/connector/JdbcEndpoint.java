package dev.millrace.operator.connector;

import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.connector.ConnectorSpec.ConnectorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * How to open a Connector's database: a JDBC URL that never holds a credential (user and password
 * travel as driver properties, so an error that echoes the URL leaks nothing) and the driver's own
 * timeouts, so a dead host fails within the test's time limit instead of the OS's.
 */
record JdbcEndpoint(String url, Properties properties, ConnectorType type) {

    /**
     * @param fileRoot where relative sqlite and duckdb paths resolve
     * @param connectTimeout for establishing the connection and logging in
     * @param readTimeout for any one answer afterwards
     */
    static JdbcEndpoint of(
            ConnectorSpec spec,
            Credentials credentials,
            Path fileRoot,
            Duration connectTimeout,
            Duration readTimeout)
            throws ConnectorProblem {
        Properties p = new Properties();
        if (spec.options != null) {
            spec.options.forEach(p::setProperty);
        }
        String password = credentials.secret();
        String database = spec.database == null ? "" : spec.database;
        return switch (spec.type) {
            case POSTGRES -> {
                credentials(p, spec.username, password);
                long connect = seconds(connectTimeout);
                p.setProperty("connectTimeout", Long.toString(connect));
                p.setProperty("loginTimeout", Long.toString(connect));
                p.setProperty("socketTimeout", Long.toString(seconds(readTimeout)));
                p.putIfAbsent("ApplicationName", "millrace-operator");
                yield new JdbcEndpoint(
                        "jdbc:postgresql://" + hostPort(spec, 5432) + "/" + database, p, spec.type);
            }
            case MYSQL, MARIADB -> {
                // MariaDB Connector/J speaks to MySQL servers too (jdbc:mysql: needs a flag).
                credentials(p, spec.username, password);
                p.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
                p.setProperty("socketTimeout", Long.toString(readTimeout.toMillis()));
                yield new JdbcEndpoint(
                        "jdbc:mariadb://" + hostPort(spec, 3306) + "/" + database, p, spec.type);
            }
            case SQLITE -> {
                p.putIfAbsent("open_mode", "1"); // SQLITE_OPEN_READONLY
                p.setProperty("busy_timeout", Long.toString(readTimeout.toMillis()));
                yield new JdbcEndpoint("jdbc:sqlite:" + existingFile(spec, fileRoot), p, spec.type);
            }
            case DUCKDB -> {
                p.putIfAbsent("duckdb.read_only", "true");
                yield new JdbcEndpoint("jdbc:duckdb:" + existingFile(spec, fileRoot), p, spec.type);
            }
            case SQLSERVER ->
                    throw new ConnectorProblem(
                            "UnsupportedType",
                            "sqlserver connectors cannot be tested or browsed by this version of"
                                    + " Millrace: the Microsoft JDBC driver is not bundled");
            case HTTP -> throw new IllegalArgumentException("http connectors have no JDBC URL");
        };
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    private static void credentials(Properties p, String username, String password) {
        if (username != null) {
            p.setProperty("user", username);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
    }

    private static String hostPort(ConnectorSpec spec, int defaultPort) {
        return spec.host + ":" + (spec.port == null ? defaultPort : spec.port);
    }

    /** A missing file is an error: both drivers would otherwise create an empty database. */
    private static Path existingFile(ConnectorSpec spec, Path fileRoot) throws ConnectorProblem {
        Path file = fileRoot.resolve(spec.database).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ConnectorProblem(
                    "FileNotFound",
                    spec.type.name().toLowerCase(Locale.ROOT)
                            + " database file "
                            + file
                            + " does not exist");
        }
        return file;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

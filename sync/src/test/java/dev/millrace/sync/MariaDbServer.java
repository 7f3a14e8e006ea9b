package dev.millrace.sync;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real MariaDB server for one test class: a fresh data directory made by {@code
 * mariadb-install-db}, a {@code mariadbd} on a free loopback port, stopped after the class.
 * Register it with {@code @RegisterExtension static final MariaDbServer MARIADB = new
 * MariaDbServer();}. Without Debian's {@code mariadb-server} package the tests are skipped (as the
 * browser tests are without Chromium); {@code .ci/run} installs it when it can.
 *
 * <p>It holds a database {@link #DATABASE} and a user {@link #USER} with password {@link #PASSWORD}
 * allowed to read it, so a sync authenticates as a real reader would.
 */
public final class MariaDbServer implements BeforeAllCallback, AfterAllCallback {

    public static final String DATABASE = "shop";
    public static final String USER = "reader";
    public static final String PASSWORD = "reader-secret-7f3a";

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final List<Path> SEARCH =
            List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private Path directory;
    private Process server;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> mariadbd = binary("mariadbd");
        Optional<Path> installDb = binary("mariadb-install-db");
        assumeTrue(
                mariadbd.isPresent() && installDb.isPresent(),
                "Skipped: the MariaDB source tests need Debian's mariadb-server (mariadbd and"
                        + " mariadb-install-db): apt-get install -y mariadb-server");
        directory = Files.createTempDirectory("millrace-mariadb-");
        Path data = directory.resolve("data");
        String user = System.getProperty("user.name");
        run(
                directory.resolve("install.log"),
                installDb.get().toString(),
                "--no-defaults",
                "--datadir=" + data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--user=" + user);
        port = freePort();
        Path log = directory.resolve("server.log");
        server =
                new ProcessBuilder(
                                mariadbd.get().toString(),
                                "--no-defaults",
                                "--datadir=" + data,
                                "--socket=" + directory.resolve("mariadb.sock"),
                                "--pid-file=" + directory.resolve("mariadb.pid"),
                                "--port=" + port,
                                "--skip-networking=0",
                                "--bind-address=127.0.0.1",
                                "--innodb-buffer-pool-size=32M",
                                "--user=" + user)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        awaitConnections(log);
        executeIn(
                "mysql",
                "CREATE DATABASE " + DATABASE,
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT, SHOW VIEW ON " + DATABASE + ".* TO '" + USER + "'@'%'");
        // Anonymous accounts (''@'localhost') would match a loopback login before reader@'%'.
        List<String> anonymous = new ArrayList<>();
        try (Connection connection = root("mysql");
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT host FROM mysql.user WHERE user = ''")) {
            while (rows.next()) {
                anonymous.add("DROP USER ''@'" + rows.getString(1) + "'");
            }
        }
        executeIn("mysql", anonymous.toArray(String[]::new));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            // SIGTERM is mariadbd's clean shutdown.
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A connection as root to {@code database}, for setting up and changing source tables. */
    public Connection root(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mariadb://" + host() + ":" + port + "/" + database, "root", "");
    }

    /** Runs statements as root in {@link #DATABASE}. */
    public void execute(String... statements) throws SQLException {
        executeIn(DATABASE, statements);
    }

    private void executeIn(String database, String... statements) throws SQLException {
        try (Connection connection = root(database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Optional<Path> binary(String name) {
        Stream<Path> path =
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .filter(entry -> !entry.isEmpty())
                        .map(Path::of);
        return Stream.concat(SEARCH.stream(), path)
                .map(folder -> folder.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(Path log, String... command) throws Exception {
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command[0] + " did not finish: " + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    command[0] + " exited with " + process.exitValue() + ": " + tail(log));
        }
    }

    /** Polls until root can log in, failing early with the server's log if it exits. */
    private void awaitConnections(Path log) throws Exception {
        Instant deadline = Instant.now().plus(STARTUP);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException(
                        "mariadbd exited with " + server.exitValue() + ": " + tail(log));
            }
            try (Connection connection = root("mysql")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            server.waitFor(100, TimeUnit.MILLISECONDS);
        }
        server.destroyForcibly();
        throw new IllegalStateException(
                "mariadbd accepted no connection within " + STARTUP + ": " + tail(log), last);
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}

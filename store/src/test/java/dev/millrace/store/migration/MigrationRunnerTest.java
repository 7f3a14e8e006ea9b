package dev.millrace.store.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.millrace.store.StoreException;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.TestDatabase;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class MigrationRunnerTest {

    @Parameter Backend backend;

    @TempDir Path tempDir;

    private final ClassLoader storeClasspath = MigrationRunner.class.getClassLoader();
    private final List<URLClassLoader> extendedClasspaths = new ArrayList<>();
    private TestDatabase database;
    private int nextVersion;

    @BeforeEach
    void freshDatabase() {
        database = backend.freshDatabase(tempDir);
        List<Migration> shipped = MigrationRunner.fromClasspath(storeClasspath).migrations();
        nextVersion = shipped.get(shipped.size() - 1).version() + 1;
    }

    @AfterEach
    void closeClassLoaders() throws IOException {
        for (URLClassLoader loader : extendedClasspaths) {
            loader.close();
        }
    }

    @Test
    void anEmptyDatabaseGetsEveryMigrationInOrderAndASecondRunAppliesNothing() throws SQLException {
        MigrationRunner runner = MigrationRunner.fromClasspath(storeClasspath);
        try (Connection connection = database.connect()) {
            assertThat(runner.migrate(connection))
                    .isEqualTo(runner.migrations())
                    .extracting(Migration::version)
                    .startsWith(1)
                    .isSorted();

            assertThat(runner.migrate(connection)).isEmpty();
            assertThat(recordedVersions(connection))
                    .isEqualTo(runner.migrations().stream().map(Migration::version).toList());
        }
    }

    @Test
    void openingTheStoreAgainAppliesNothing() throws SQLException {
        database.open().close();
        List<String> recordedAfterFirstOpen;
        try (Connection connection = database.connect()) {
            recordedAfterFirstOpen = schemaVersionRows(connection);
        }

        database.open().close();

        try (Connection connection = database.connect()) {
            assertThat(schemaVersionRows(connection)).isEqualTo(recordedAfterFirstOpen);
        }
    }

    @Test
    void aNewMigrationOnTheClasspathIsAppliedOnce() throws Exception {
        ClassLoader withNotes =
                classpathWith(
                        Map.of(
                                "V" + nextVersion + "__add_notes.sql",
                                "CREATE TABLE notes (body VARCHAR NOT NULL);\n"));
        try (Connection connection = database.connect()) {
            MigrationRunner.fromClasspath(storeClasspath).migrate(connection);

            assertThat(MigrationRunner.fromClasspath(withNotes).migrate(connection))
                    .extracting(Migration::version, Migration::description)
                    .containsExactly(tuple(nextVersion, "add notes"));
            assertThat(MigrationRunner.fromClasspath(withNotes).migrate(connection)).isEmpty();
            assertThat(tableExists(connection, "notes")).isTrue();
        }
        // A build that does not know the new migration (an older Millrace) still opens the store.
        database.open().close();
    }

    @Test
    void aMigrationEditedAfterItWasAppliedRefusesToOpenTheStore() throws SQLException {
        database.open().close();
        setChecksumOfVersion1("edited-after-release");

        assertThatThrownBy(database::open)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("migration V1 (create history tables) has changed")
                .hasMessageContaining("edited-after-release")
                .hasMessageContaining("V1__create_history_tables.sql")
                .hasMessageContaining("put the change in a new migration");

        // The refused open released the database: putting the checksum back lets it open.
        setChecksumOfVersion1(
                MigrationRunner.fromClasspath(storeClasspath).migrations().get(0).checksum());
        database.open().close();
    }

    @Test
    void aFailingMigrationIsRolledBackWholeAndEarlierOnesStay() throws Exception {
        ClassLoader withBrokenMigration =
                classpathWith(
                        Map.of(
                                "V" + nextVersion + "__half_done.sql",
                                "CREATE TABLE half_done (x INTEGER);\n"
                                        + "CREATE TABLE half_done (x INTEGER);\n"));
        try (Connection connection = database.connect()) {
            assertThatThrownBy(
                            () ->
                                    MigrationRunner.fromClasspath(withBrokenMigration)
                                            .migrate(connection))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("migration V" + nextVersion + " (half done)")
                    .hasMessageContaining("rolled back");

            assertThat(tableExists(connection, "half_done")).isFalse();
            assertThat(recordedVersions(connection)).contains(1).doesNotContain(nextVersion);
        }
    }

    @Test
    void aNewMigrationOlderThanOneAlreadyAppliedIsRefused() throws Exception {
        String later = "V" + (nextVersion + 1) + "__later.sql";
        String earlier = "V" + nextVersion + "__earlier.sql";
        try (Connection connection = database.connect()) {
            MigrationRunner.fromClasspath(
                            classpathWith(Map.of(later, "CREATE TABLE later (x INTEGER);")))
                    .migrate(connection);

            ClassLoader withEarlier =
                    classpathWith(
                            Map.of(
                                    later, "CREATE TABLE later (x INTEGER);",
                                    earlier, "CREATE TABLE earlier (x INTEGER);"));
            assertThatThrownBy(() -> MigrationRunner.fromClasspath(withEarlier).migrate(connection))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("V" + nextVersion + " (earlier)")
                    .hasMessageContaining("older than V" + (nextVersion + 1));
            assertThat(tableExists(connection, "earlier")).isFalse();
        }
    }

    /** The store's own migrations plus {@code files} in another classpath root. */
    private ClassLoader classpathWith(Map<String, String> files) throws IOException {
        Path root = Files.createTempDirectory(tempDir, "classpath");
        Path folder = Files.createDirectories(root.resolve(MigrationRunner.LOCATION));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
        URLClassLoader loader =
                new URLClassLoader(new URL[] {root.toUri().toURL()}, storeClasspath);
        extendedClasspaths.add(loader);
        return loader;
    }

    private void setChecksumOfVersion1(String checksum) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE schema_version SET checksum = ? WHERE version = 1")) {
            update.setString(1, checksum);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static List<Integer> recordedVersions(Connection connection) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT version FROM schema_version ORDER BY version")) {
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
        }
        return versions;
    }

    private static List<String> schemaVersionRows(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery(
                                "SELECT version, description, checksum, applied_at"
                                        + " FROM schema_version ORDER BY version")) {
            while (row.next()) {
                rows.add(
                        row.getInt(1)
                                + " "
                                + row.getString(2)
                                + " "
                                + row.getString(3)
                                + " "
                                + row.getObject(4));
            }
        }
        return rows;
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }
}

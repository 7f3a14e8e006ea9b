package dev.millrace.store.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.millrace.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMigrationsTest {

    @TempDir Path tempDir;

    @Test
    void theStoreShipsItsFirstSchemaAsVersion1() {
        assertThat(MigrationRunner.fromClasspath(getClass().getClassLoader()).migrations())
                .first()
                .extracting(Migration::version, Migration::description)
                .containsExactly(1, "create history tables");
    }

    @Test
    void migrationsAreReadFromInsideAJarLikeTheRunnableOne() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("db/", null);
        entries.put("db/migration/", null);
        entries.put("db/migration/V2__add_more_things.sql", "CREATE TABLE more (x INTEGER);");
        entries.put("db/migration/V1__create_things.sql", "CREATE TABLE things (x INTEGER);");
        entries.put("db/migration/README.md", "not a migration");
        entries.put("db/migration/archive/", null);
        entries.put("db/migration/archive/V9__old.sql", "not in the folder itself");
        Path jar = jar(entries);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(ClasspathMigrations.find(loader, MigrationRunner.LOCATION))
                    .extracting(Migration::version, Migration::description, Migration::script)
                    .containsExactly(
                            tuple(1, "create things", "CREATE TABLE things (x INTEGER);"),
                            tuple(2, "add more things", "CREATE TABLE more (x INTEGER);"));
        }
    }

    @Test
    void aClasspathWithoutMigrationsIsRefusedRatherThanGivenAnEmptySchema() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[] {tempDir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> MigrationRunner.fromClasspath(empty))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("no migrations found under db/migration");
        }
    }

    @Test
    void aMisnamedSqlFileIsRefusedRatherThanSkipped() throws IOException {
        Path root = classpathRoot(Map.of("V3_single_underscore.sql", "SELECT 1;"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ClasspathMigrations.find(loader, MigrationRunner.LOCATION))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("V3_single_underscore.sql")
                    .hasMessageContaining("V<version>__<description>.sql");
        }
    }

    @Test
    void twoMigrationsWithTheSameVersionAreRefused() throws IOException {
        Path first = classpathRoot(Map.of("V1__one.sql", "SELECT 1;"));
        Path second = classpathRoot(Map.of("V1__other.sql", "SELECT 2;"));

        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {first.toUri().toURL(), second.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ClasspathMigrations.find(loader, MigrationRunner.LOCATION))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("two migrations have version 1")
                    .hasMessageContaining("V1__one.sql")
                    .hasMessageContaining("V1__other.sql");
        }
    }

    @Test
    void theChecksumIgnoresLineEndingsButNotContent() {
        String unix = "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (y INTEGER);\n";
        String windows = unix.replace("\n", "\r\n");

        assertThat(Migration.checksumOf(windows)).isEqualTo(Migration.checksumOf(unix));
        assertThat(Migration.checksumOf(unix.replace("y", "z")))
                .isNotEqualTo(Migration.checksumOf(unix));
    }

    private Path classpathRoot(Map<String, String> files) throws IOException {
        Path root = Files.createTempDirectory(tempDir, "classpath");
        Path folder = Files.createDirectories(root.resolve(MigrationRunner.LOCATION));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
        return root;
    }

    /** A jar with these entries; a null content makes a directory entry, as Maven writes them. */
    private Path jar(Map<String, String> entries) throws IOException {
        Path jar = tempDir.resolve("migrations.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                if (entry.getValue() != null) {
                    out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}

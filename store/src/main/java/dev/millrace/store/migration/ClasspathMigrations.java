package dev.millrace.store.migration;

import dev.millrace.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the migration scripts in one classpath folder, whether it is a directory ({@code
 * target/classes} in tests and IDEs) or a folder inside a jar (the runnable jar), because the class
 * loader API can read a resource but cannot list a folder.
 */
final class ClasspathMigrations {

    private ClasspathMigrations() {}

    /** Every migration under {@code location} in every classpath root, ordered by version. */
    static List<Migration> find(ClassLoader loader, String location) {
        TreeMap<Integer, Migration> byVersion = new TreeMap<>();
        try {
            for (URL root : Collections.list(loader.getResources(location))) {
                for (Migration migration : readFolder(root, location)) {
                    Migration clash = byVersion.putIfAbsent(migration.version(), migration);
                    if (clash != null) {
                        throw new StoreException(
                                "two migrations have version "
                                        + migration.version()
                                        + ": "
                                        + clash.resource()
                                        + " and "
                                        + migration.resource());
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreException(
                    "could not read the migrations under " + location + ": " + e.getMessage(), e);
        }
        return List.copyOf(byVersion.values());
    }

    private static List<Migration> readFolder(URL root, String location) throws IOException {
        return switch (root.getProtocol()) {
            case "file" -> readDirectory(root);
            case "jar" -> readJarFolder(root, location);
            default ->
                    throw new StoreException(
                            "cannot list migrations in " + root + ": not a directory or a jar");
        };
    }

    private static List<Migration> readDirectory(URL root) throws IOException {
        Path directory;
        try {
            directory = Path.of(root.toURI());
        } catch (URISyntaxException e) {
            throw new StoreException("cannot list migrations in " + root, e);
        }
        List<Migration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Migration.fromFile(
                                file.getFileName().toString(),
                                Files.readAllBytes(file),
                                file.toString())
                        .ifPresent(migrations::add);
            }
        }
        return migrations;
    }

    private static List<Migration> readJarFolder(URL root, String location) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        // Without this the JarFile is a shared cached instance that closing would break for others.
        connection.setUseCaches(false);
        String prefix = location.endsWith("/") ? location : location + "/";
        List<Migration> migrations = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String entryName = entry.getName();
                if (entry.isDirectory() || !entryName.startsWith(prefix)) {
                    continue;
                }
                String fileName = entryName.substring(prefix.length());
                if (fileName.contains("/")) {
                    continue; // in a subfolder, which the directory case does not descend into
                    // either
                }
                try (InputStream content = jar.getInputStream(entry)) {
                    Migration.fromFile(
                                    fileName,
                                    content.readAllBytes(),
                                    jar.getName() + "!/" + entryName)
                            .ifPresent(migrations::add);
                }
            }
        }
        return migrations;
    }
}

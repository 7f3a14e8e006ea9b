package dev.millrace.sync.source.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The files of a folder that match a glob, the unit a file source syncs. */
public final class CsvFolder {

    private final Path directory;
    private final String glob;

    public CsvFolder(Path directory, String glob) {
        this.directory = directory.toAbsolutePath().normalize();
        this.glob = glob;
    }

    public Path directory() {
        return directory;
    }

    public String glob() {
        return glob;
    }

    /**
     * Lists matching regular files, sorted by relative path so that DuckDB reads them in a stable
     * order. A missing directory is an error rather than "no files": an unmounted volume must not
     * look like a source whose files were all deleted.
     */
    public List<SourceFile> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(
                    directory.toString(), null, "source directory does not exist");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // A glob without a separator can only match directly inside the folder, so only those
        // patterns that name subfolders pay for walking the whole tree.
        int depth = glob.contains("/") || glob.contains("**") ? Integer.MAX_VALUE : 1;
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory, depth)) {
            paths.filter(path -> !path.equals(directory))
                    .filter(path -> matcher.matches(directory.relativize(path)))
                    .filter(CsvFolder::isVisible)
                    .filter(Files::isRegularFile)
                    .forEach(path -> files.add(describe(path)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        files.sort(Comparator.comparing(SourceFile::relativePath));
        return files;
    }

    /**
     * Dot files are skipped: uploaders and editors write partial files under hidden names before
     * renaming them into place.
     */
    private static boolean isVisible(Path path) {
        return !path.getFileName().toString().startsWith(".");
    }

    private SourceFile describe(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            String relative = directory.relativize(path).toString().replace('\\', '/');
            return new SourceFile(
                    relative,
                    path,
                    attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.millrace.api.platform.csv;

import dev.millrace.api.platform.PlatformApiException;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder a CSV Source reads ({@code <data root>/<spec.files.directory>}) and its glob, with the
 * path checks that keep every write and delete of the API inside that folder. Files are matched as
 * the sync engine matches them: the glob against the path below the folder, dot files skipped
 * (uploads are written under a dot name and renamed into place).
 */
public record SourceFolder(String sourceName, String directorySpec, Path directory, String glob) {
    private static final int MAX_FILE_NAME_BYTES = 255;

    /**
     * @throws PlatformApiException 400 unless the source is a CSV source with a folder
     */
    public static SourceFolder of(Source source, Path dataRoot) {
        String name = source.getMetadata().getName();
        if (source.getSpec() == null
                || source.getSpec().type != SourceType.CSV
                || source.getSpec().files == null
                || source.getSpec().files.directory == null
                || source.getSpec().files.directory.isBlank()) {
            throw PlatformApiException.badRequest("Source '" + name + "' is not a CSV source");
        }
        String spec = source.getSpec().files.directory;
        String glob = source.getSpec().files.glob == null ? "*.csv" : source.getSpec().files.glob;
        Path directory = dataRoot.toAbsolutePath().normalize().resolve(spec).normalize();
        return new SourceFolder(name, spec, directory, glob);
    }

    public boolean matches(Path file) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        Path relative = directory.relativize(file);
        return matcher.matches(relative) && !file.getFileName().toString().startsWith(".");
    }

    /** The path below the folder with {@code /} separators, as the file ledger records it. */
    public String relative(Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }

    /**
     * Where an uploaded file named {@code fileName} goes: directly in the folder.
     *
     * @throws PlatformApiException 400 for names with separators, {@code ..}, control characters, a
     *     leading dot, more than 255 bytes, another extension than .csv, or outside the glob
     */
    public Path uploadTarget(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw PlatformApiException.badRequest("The uploaded file has no name");
        }
        if (fileName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > MAX_FILE_NAME_BYTES) {
            throw PlatformApiException.badRequest(
                    "File name is longer than " + MAX_FILE_NAME_BYTES + " bytes");
        }
        if (fileName.contains("/")
                || fileName.contains("\\")
                || fileName.contains("..")
                || fileName.startsWith(".")
                || fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw PlatformApiException.badRequest(
                    "Invalid file name '"
                            + printable(fileName)
                            + "': no path separators, '..', leading dot or control characters");
        }
        if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            throw PlatformApiException.badRequest("Only .csv files can be uploaded");
        }
        Path target = inside(fileName);
        if (!target.getParent().equals(directory)) {
            throw PlatformApiException.badRequest(
                    "Invalid file name '" + printable(fileName) + "'");
        }
        if (!matches(target)) {
            throw PlatformApiException.badRequest(
                    "File name '"
                            + fileName
                            + "' does not match the source's file pattern '"
                            + glob
                            + "', so a sync would not read it");
        }
        return target;
    }

    /**
     * Resolves a file the client names, absolute or relative to the folder.
     *
     * @throws PlatformApiException 400 unless it is a file of this source inside the folder
     */
    public Path existingFileArgument(String filePath) {
        if (filePath == null || filePath.isBlank()) {
            throw PlatformApiException.badRequest("file_path is required");
        }
        if (filePath.length() > 4096 || filePath.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw PlatformApiException.badRequest("file_path is not a valid path");
        }
        Path file = inside(filePath);
        if (!matches(file)) {
            throw PlatformApiException.badRequest(
                    "file_path is not a file of source '"
                            + sourceName
                            + "' (pattern '"
                            + glob
                            + "' in "
                            + directorySpec
                            + ")");
        }
        return file;
    }

    private Path inside(String name) {
        Path file;
        try {
            file = directory.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw PlatformApiException.badRequest("Invalid path '" + printable(name) + "'");
        }
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw PlatformApiException.badRequest(
                    "Path '"
                            + printable(name)
                            + "' is outside the directory of source '"
                            + sourceName
                            + "'");
        }
        // A symbolic link inside the folder must not lead a write or delete outside it.
        try {
            Path parent = file.getParent();
            if (Files.exists(parent)
                    && Files.exists(directory)
                    && !parent.toRealPath().startsWith(directory.toRealPath())) {
                throw PlatformApiException.badRequest(
                        "Path '" + printable(name) + "' leads outside the source's directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The source's files on disk (none when the folder does not exist), sorted by path. */
    public List<Path> filesOnDisk() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        int depth = glob.contains("/") || glob.contains("**") ? Integer.MAX_VALUE : 1;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory, depth)) {
            paths.filter(p -> !p.equals(directory))
                    .filter(this::matches)
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(java.util.Comparator.comparing(this::relative));
        return files;
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

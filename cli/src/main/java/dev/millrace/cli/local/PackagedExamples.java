package dev.millrace.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The examples/ folder packaged inside the jar, so {@code millrace local --examples} works from any
 * directory: its manifests are applied and its data/ folder is copied into the data root.
 */
public final class PackagedExamples {
    static final String ROOT = "examples";

    private PackagedExamples() {}

    /** Copies examples/data/* into {@code dataRoot}, leaving files a user already has alone. */
    public static int copyData(Path dataRoot) {
        return withRoot(
                root -> {
                    Path data = root.resolve("data");
                    if (!Files.isDirectory(data)) {
                        return 0;
                    }
                    int copied = 0;
                    try (Stream<Path> walk = Files.walk(data)) {
                        for (Path file :
                                walk.filter(Files::isRegularFile)
                                        .filter(p -> p.toString().endsWith(".csv"))
                                        .toList()) {
                            Path target = dataRoot.resolve(data.relativize(file).toString());
                            if (!Files.exists(target)) {
                                Files.createDirectories(target.getParent());
                                Files.copy(file, target);
                                copied++;
                            }
                        }
                    }
                    return copied;
                });
    }

    /** The example manifests (every YAML outside data/), as text, in path order. */
    public static List<String> manifests() {
        return withRoot(
                root -> {
                    List<String> texts = new ArrayList<>();
                    try (Stream<Path> walk = Files.walk(root)) {
                        for (Path file :
                                walk.filter(Files::isRegularFile)
                                        .filter(p -> p.toString().matches(".*\\.ya?ml$"))
                                        .filter(
                                                p ->
                                                        !root.relativize(p)
                                                                .toString()
                                                                .startsWith("data"))
                                        .filter(
                                                p ->
                                                        !root.relativize(p)
                                                                .toString()
                                                                .startsWith("gitops"))
                                        // API sources need the network and a real key.
                                        .filter(
                                                p ->
                                                        !root.relativize(p)
                                                                .toString()
                                                                .startsWith("api-sources"))
                                        .sorted()
                                        .toList()) {
                            texts.add(Files.readString(file));
                        }
                    }
                    return texts;
                });
    }

    private interface RootFunction<T> {
        T apply(Path root) throws IOException;
    }

    private static <T> T withRoot(RootFunction<T> function) {
        URL url = PackagedExamples.class.getClassLoader().getResource(ROOT + "/quickstart");
        if (url == null) {
            throw new IllegalStateException("the examples are not packaged in this build");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return function.apply(fs.getPath("/" + ROOT));
            }
            return function.apply(Path.of(uri).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.millrace.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The one OpenAPI 3.0 document of every family: {@code openapi/shared.yaml} (info, servers,
 * security schemes) merged with every other {@code openapi/*.yaml} fragment on the classpath, each
 * giving its family's {@code paths} and {@code components}. Each family writes its own fragment, so
 * adding a family never touches another's file. A path operation or component defined twice with
 * different content is an error, found when the server starts rather than by a reader of the docs.
 */
public final class OpenApiDocument {
    static final String DIRECTORY = "openapi";
    static final String SHARED = "shared.yaml";

    private OpenApiDocument() {}

    /** The merged document from the fragments on {@code loader}'s classpath. */
    public static ObjectNode load(ClassLoader loader) {
        Map<String, URL> fragments = fragments(loader);
        URL shared = fragments.remove(SHARED);
        if (shared == null) {
            throw new IllegalStateException("no " + DIRECTORY + "/" + SHARED + " on the classpath");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode document = read(yaml, shared);
        document.withObjectProperty("paths");
        document.withObjectProperty("components");
        for (Map.Entry<String, URL> fragment : fragments.entrySet()) {
            merge(document, read(yaml, fragment.getValue()), fragment.getKey());
        }
        return document;
    }

    static void merge(ObjectNode document, ObjectNode fragment, String name) {
        ObjectNode paths = document.withObjectProperty("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("paths").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            ObjectNode target = paths.withObjectProperty(path.getKey());
            path.getValue()
                    .fields()
                    .forEachRemaining(
                            op -> put(target, op.getKey(), op.getValue(), name, path.getKey()));
        }
        ObjectNode components = document.withObjectProperty("components");
        for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("components").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            ObjectNode target = components.withObjectProperty(section.getKey());
            section.getValue()
                    .fields()
                    .forEachRemaining(
                            c ->
                                    put(
                                            target,
                                            c.getKey(),
                                            c.getValue(),
                                            name,
                                            "components." + section.getKey()));
        }
        if (fragment.path("tags").isArray()) {
            ArrayNode tags = document.withArrayProperty("tags");
            for (JsonNode tag : fragment.get("tags")) {
                boolean known = false;
                for (JsonNode existing : tags) {
                    known |= existing.path("name").equals(tag.path("name"));
                }
                if (!known) {
                    tags.add(tag);
                }
            }
        }
    }

    private static void put(
            ObjectNode target, String key, JsonNode value, String from, String where) {
        JsonNode existing = target.get(key);
        if (existing != null && !existing.equals(value)) {
            throw new IllegalStateException(
                    DIRECTORY
                            + "/"
                            + from
                            + " defines "
                            + where
                            + " "
                            + key
                            + " differently from an earlier fragment");
        }
        target.set(key, value);
    }

    private static ObjectNode read(ObjectMapper yaml, URL url) {
        try (InputStream in = url.openStream()) {
            JsonNode node = yaml.readTree(in);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalStateException(url + " is not a YAML mapping");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAPI fragment " + url, e);
        }
    }

    /** Every {@code openapi/*.yaml} by file name, from directories and jars alike. */
    static Map<String, URL> fragments(ClassLoader loader) {
        Map<String, URL> found = new TreeMap<>();
        try {
            Enumeration<URL> roots = loader.getResources(DIRECTORY);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                for (String name : list(root)) {
                    if (name.endsWith(".yaml") && !found.containsKey(name)) {
                        URL url = loader.getResource(DIRECTORY + "/" + name);
                        if (url != null) {
                            found.put(name, url);
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the OpenAPI fragments", e);
        }
        return found;
    }

    private static List<String> list(URL root) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if ("file".equals(root.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                files.filter(Files::isRegularFile)
                        .forEach(f -> names.add(f.getFileName().toString()));
            }
        } else if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = DIRECTORY + "/";
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith(prefix)
                            && entry.length() > prefix.length()
                            && entry.indexOf('/', prefix.length()) < 0) {
                        names.add(entry.substring(prefix.length()));
                    }
                }
            }
        }
        return names;
    }
}

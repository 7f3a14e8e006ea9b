package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Manifests as `millrace apply` reads them: YAML parsed into a JSON tree. */
final class Manifests {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {}

    static ObjectNode parse(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One of the realistic valid manifests under src/test/resources/manifests/valid. */
    static ObjectNode valid(String file) {
        try (InputStream in = Manifests.class.getResourceAsStream("/manifests/valid/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture manifests/valid/" + file);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.millrace.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The chart in charts/millrace, rendered by the Helm library helm-java ships. */
final class Chart {
    static final Path DIR = Path.of("..", "charts", "millrace").toAbsolutePath().normalize();
    static final Path VALUES = Path.of("src", "test", "resources", "values").toAbsolutePath();
    static final String RELEASE = "millrace";
    static final String NAMESPACE = "millrace";
    // helm template assumes Kubernetes 1.20 unless told; the chart needs 1.25 (policy/v1,
    // autoscaling/v2).
    static final String KUBE_VERSION = "1.30.0";

    private Chart() {}

    /** `helm template millrace charts/millrace -n millrace -f values/<name>.yaml`. */
    static String template(String valuesFile) {
        return template(valuesFile, t -> {});
    }

    static String template(String valuesFile, Consumer<com.marcnuri.helm.TemplateCommand> more) {
        var command =
                new Helm(DIR)
                        .template()
                        .withName(RELEASE)
                        .withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION)
                        .withValuesFile(VALUES.resolve(valuesFile));
        more.accept(command);
        return command.call();
    }

    /** The rendered objects, parsed with the Fabric8 model. */
    static Rendered render(String valuesFile) {
        return new Rendered(parse(template(valuesFile)));
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = Serialization.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof HasMetadata object) {
                    objects.add(object);
                }
            }
        } else if (parsed instanceof HasMetadata object) {
            objects.add(object);
        }
        return objects;
    }

    record Rendered(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            return find(type, name)
                    .orElseThrow(
                            () -> new AssertionError("no " + type.getSimpleName() + " " + name));
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream()
                    .filter(o -> o.getMetadata().getName().equals(name))
                    .findFirst();
        }

        List<String> kinds() {
            return objects.stream().map(HasMetadata::getKind).distinct().sorted().toList();
        }
    }

    static Map<String, String> selector(String component) {
        return Map.of(
                "app.kubernetes.io/name", "millrace",
                "app.kubernetes.io/instance", RELEASE,
                "app.kubernetes.io/component", component);
    }
}

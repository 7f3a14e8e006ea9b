package dev.millrace.cli;

import dev.millrace.cli.apply.ManifestApplier;
import dev.millrace.crds.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Validates manifests against the Millrace CRD schemas and applies them, to the",
            "cluster your kubeconfig names or, with --local, to a running `millrace local`.",
            "Nothing is applied unless every object is valid."
        })
final class ApplyCommand implements Callable<Integer> {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            description = "A manifest file or a folder of them (repeatable).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--local", description = "Apply to the local mode running with --data-dir.")
    boolean local;

    @Option(
            names = "--data-dir",
            defaultValue = "./.millrace",
            description = "Local mode's data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = {"-n", "--namespace"},
            description =
                    "Namespace for objects that name none (default: the kubeconfig's, or default).")
    String namespace;

    @Override
    public Integer call() throws Exception {
        List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> objects = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                System.err.println("error: " + file + " does not exist");
                return 1;
            }
            objects.addAll(ManifestApplier.read(file));
        }
        Config config;
        if (local) {
            Path kubeconfig = dataDir.resolve("kubeconfig");
            if (!Files.exists(kubeconfig)) {
                System.err.println(
                        "error: no local mode found at "
                                + dataDir.toAbsolutePath()
                                + " (start it with: millrace local)");
                return 1;
            }
            config = Config.fromKubeconfig(Files.readString(kubeconfig));
        } else {
            config = Config.autoConfigure(null);
        }
        String ns =
                namespace != null
                        ? namespace
                        : config.getNamespace() != null ? config.getNamespace() : "default";
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            for (ManifestApplier.Applied applied :
                    new ManifestApplier(client, CrdSchemaValidator.forMillraceCrds(), ns)
                            .apply(objects)) {
                System.out.println(applied);
            }
            return 0;
        } catch (ManifestApplier.InvalidManifestException e) {
            e.problems().forEach(p -> System.err.println("error: " + p));
            return 1;
        }
    }
}

package dev.millrace.crds.validation;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.source.Source;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Millrace kinds and where the CRD generator puts their CRDs on the classpath. A class path
 * cannot be listed inside a jar, so the kinds are named here; a test fails when the generator
 * writes a CRD that is missing from this list.
 */
final class MillraceCrds {
    static final List<Class<? extends CustomResource<?, ?>>> KINDS =
            List.of(
                    Connector.class,
                    Source.class,
                    Destination.class,
                    Connection.class,
                    Pipeline.class,
                    PipelineType.class,
                    AnomalyRule.class,
                    Model.class);

    private MillraceCrds() {}

    /** {@code META-INF/fabric8/connections.millrace.dev-v1.yml}: the generator's layout. */
    static String resourceName(Class<? extends CustomResource<?, ?>> kind) {
        return "META-INF/fabric8/" + CustomResource.getCRDName(kind) + "-v1.yml";
    }

    static List<CustomResourceDefinition> load(KubernetesSerialization serialization) {
        ClassLoader classLoader = MillraceCrds.class.getClassLoader();
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
            String resource = resourceName(kind);
            try (InputStream in = classLoader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            resource
                                    + " is not on the class path: the crds module's build"
                                    + " generates it (./mvnw -pl crds install)");
                }
                crds.add(serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        return List.copyOf(crds);
    }
}

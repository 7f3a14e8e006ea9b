package dev.millrace.operator.connector;

import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connector.Connector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lets a kind that names a Connector in its spec ({@code connectorRef} of Sources and Destinations)
 * watch it: creating, changing or deleting a Connector wakes every object in its namespace that
 * references it, so a deleted Connector shows on them at once.
 */
public final class ConnectorReferences {
    private ConnectorReferences() {}

    /**
     * @param ref the primary's reference, or null if it names no Connector
     */
    public static <P extends HasMetadata> InformerEventSource<Connector, P> eventSource(
            Class<P> primary, EventSourceContext<P> context, Function<P, ObjectRef> ref) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Connector.class, primary)
                        .withName("connectors")
                        .withSecondaryToPrimaryMapper((Connector c) -> referencing(context, c, ref))
                        .withPrimaryToSecondaryMapper(
                                (P p) -> {
                                    ObjectRef r = ref.apply(p);
                                    return r == null || r.name == null
                                            ? Set.of()
                                            : Set.of(
                                                    new ResourceID(
                                                            r.name,
                                                            p.getMetadata().getNamespace()));
                                })
                        .build(),
                context);
    }

    /**
     * The problem with the primary's Connector reference, if any: a message naming the missing
     * Connector for a {@code ConnectorNotFound} condition.
     */
    public static <P extends HasMetadata> Optional<String> missing(
            P primary, Context<P> context, ObjectRef ref) {
        if (ref == null || ref.name == null) {
            return Optional.empty();
        }
        return context.getSecondaryResource(Connector.class).isPresent()
                ? Optional.empty()
                : Optional.of("connector " + ref.name + " does not exist");
    }

    private static <P extends HasMetadata> Set<ResourceID> referencing(
            EventSourceContext<P> context, Connector connector, Function<P, ObjectRef> ref) {
        String name = connector.getMetadata().getName();
        return context.getPrimaryCache()
                .list(connector.getMetadata().getNamespace())
                .filter(
                        p -> {
                            ObjectRef r = ref.apply(p);
                            return r != null && name.equals(r.name);
                        })
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}

package dev.millrace.api.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceType;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceCacheTest {
    private KubernetesMockServer kube;
    private KubernetesClient client;
    private ResourceCache cache;

    @BeforeEach
    void start() throws Exception {
        kube =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
                        false);
        kube.init(InetAddress.getLoopbackAddress(), 0);
        client = kube.createClient();
        try (InputStream in =
                getClass()
                        .getClassLoader()
                        .getResourceAsStream("META-INF/fabric8/sources.millrace.dev-v1.yml")) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                    .create();
        }
        for (String ns : new String[] {"team-a", "team-b"}) {
            client.namespaces()
                    .resource(
                            new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(ns)
                                    .endMetadata()
                                    .build())
                    .create();
        }
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        client.close();
        kube.destroy();
    }

    private Source source(String namespace, String name) {
        Source source = new Source();
        source.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        SourceSpec spec = new SourceSpec();
        spec.type = SourceType.CSV;
        source.setSpec(spec);
        return client.resource(source).create();
    }

    @Test
    void aCacheLimitedToNamespacesServesNothingOutsideThem() {
        Source inA = source("team-a", "orders");
        Source inB = source("team-b", "leads");
        cache = new ResourceCache(client, Set.of("team-a"));

        assertThat(cache.list(Source.class, null))
                .extracting(s -> s.getMetadata().getName())
                .containsExactly("orders");
        assertThat(cache.list(Namespace.class, null))
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("team-a");
        assertThat(cache.getOrFetch(Source.class, "team-b", "leads")).isEmpty();
        assertThat(
                        cache.findOrFetch(
                                Source.class,
                                s -> s.getMetadata().getUid().equals(inB.getMetadata().getUid())))
                .isEmpty();
        assertThat(
                        cache.findOrFetch(
                                Source.class,
                                s -> s.getMetadata().getUid().equals(inA.getMetadata().getUid())))
                .isPresent();
    }

    @Test
    void aWriterReadsItsOwnWriteAndTheVersionMoves() {
        cache = new ResourceCache(client, Set.of());
        assertThat(cache.list(Source.class, "team-a")).isEmpty();
        long before = cache.version(Source.class);

        cache.awaitWritten(source("team-a", "orders"));

        assertThat(cache.list(Source.class, "team-a"))
                .extracting(s -> s.getMetadata().getName())
                .containsExactly("orders");
        assertThat(cache.version(Source.class)).isGreaterThan(before);

        client.resources(Source.class).inNamespace("team-a").withName("orders").delete();
        cache.awaitGone(Source.class, "team-a", "orders");
        assertThat(cache.get(Source.class, "team-a", "orders")).isEmpty();
    }

    @Test
    void aDerivedValueIsReusedUntilAnObjectOfItsKindChanges() {
        cache = new ResourceCache(client, Set.of());
        cache.awaitWritten(source("team-a", "orders"));
        java.util.concurrent.atomic.AtomicInteger computed =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<List<String>> names =
                () -> {
                    computed.incrementAndGet();
                    return cache.list(Source.class, null).stream()
                            .map(s -> s.getMetadata().getName())
                            .toList();
                };

        assertThat(cache.derived(Source.class, "names", names)).containsExactly("orders");
        assertThat(cache.derived(Source.class, "names", names)).containsExactly("orders");
        assertThat(computed).hasValue(1);
        assertThat(cache.list(Source.class, null)).isSameAs(cache.list(Source.class, null));

        cache.awaitWritten(source("team-b", "customers"));

        assertThat(cache.derived(Source.class, "names", names))
                .containsExactly("orders", "customers");
        assertThat(computed).hasValue(2);
        assertThat(cache.list(Source.class, "team-b"))
                .extracting(s -> s.getMetadata().getName())
                .containsExactly("customers");
    }

    @Test
    void aLookupByNameAsksTheApiWhenTheCacheHasNotSeenTheObjectYet() {
        cache = new ResourceCache(client, Set.of());
        cache.list(Source.class, null);
        // Written behind the cache's back and asked for at once: the watch event may still be on
        // its way, the answer must not be "not found".
        source("team-b", "fresh");

        assertThat(cache.getOrFetch(Source.class, "team-b", "fresh")).isPresent();
    }
}

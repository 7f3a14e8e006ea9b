package dev.millrace.operator.local;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API for local mode and tests: the Fabric8 mock server in CRUD mode with
 * the Millrace CRDs installed. It stores and watches objects like an API server, but does no schema
 * validation, server-side apply, strategic merge or garbage collection; Millrace covers those gaps
 * itself (schema validation on apply, explicit cleanup).
 */
public final class EmbeddedKubernetes implements AutoCloseable {
    /** The CRDs the crds module generates, in the order they are installed. */
    public static final List<String> CRD_RESOURCES =
            List.of(
                    "connectors",
                    "sources",
                    "destinations",
                    "connections",
                    "pipelinetypes",
                    "pipelines",
                    "anomalyrules",
                    "models");

    /**
     * The mock server logs every request through java.util.logging at INFO. Held strongly: JUL
     * keeps loggers weakly, and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger MOCK_LOG = quietMockLogging();

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private EmbeddedKubernetes(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /**
     * Starts on 127.0.0.1 at {@code port} (0 picks a free one) with the CRDs installed, and the
     * namespace unless it is null (local mode restores its namespaces, uid included, first).
     */
    public static EmbeddedKubernetes start(int port, String namespace) {
        Map<ServerRequest, Queue<ServerResponse>> answers = new HashMap<>();
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        answers,
                        new KubernetesMixedDispatcher(answers),
                        false);
        try {
            server.init(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "could not start the embedded Kubernetes API on port " + port, e);
        }
        answerPermissionChecks(server);
        EmbeddedKubernetes kube = new EmbeddedKubernetes(server);
        kube.installCrds();
        if (namespace != null) {
            kube.ensureNamespace(namespace);
        }
        return kube;
    }

    /**
     * The embedded API has no authorization, so a client asking what it may do is told
     * "everything". JOSDK's leader election asks before it competes for its Lease (DESIGN §9); the
     * CRUD mock would echo the review without a status and the check would fail.
     */
    private static void answerPermissionChecks(KubernetesMockServer server) {
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReply(
                        201,
                        request -> {
                            SelfSubjectRulesReview review =
                                    Serialization.unmarshal(
                                            request.getUtf8Body(), SelfSubjectRulesReview.class);
                            review.setStatus(
                                    new SubjectRulesReviewStatusBuilder()
                                            .withIncomplete(false)
                                            .addNewResourceRule()
                                            .withApiGroups("*")
                                            .withResources("*")
                                            .withVerbs("*")
                                            .endResourceRule()
                                            .build());
                            return review;
                        })
                .always();
    }

    private static java.util.logging.Logger quietMockLogging() {
        java.util.logging.Logger logger =
                java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The URL a kubeconfig or another client can use. */
    public String url() {
        return client.getMasterUrl().toString();
    }

    public static List<CustomResourceDefinition> millraceCrds() {
        return CRD_RESOURCES.stream().map(EmbeddedKubernetes::loadCrd).toList();
    }

    private static CustomResourceDefinition loadCrd(String plural) {
        String path = "META-INF/fabric8/" + plural + ".millrace.dev-v1.yml";
        try (InputStream in = EmbeddedKubernetes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + path + " is not on the classpath");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installCrds() {
        for (CustomResourceDefinition crd : millraceCrds()) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .createOr(r -> r.update());
        }
    }

    public void ensureNamespace(String namespace) {
        try {
            client.namespaces()
                    .resource(
                            new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(namespace)
                                    .endMetadata()
                                    .build())
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // The mock's Vert.x shutdown can time out while its event loop is stalled by a watch
            // that was closing (see docs/architecture.md); the port and threads go with the JVM
            // or the next GC, and nothing of Millrace's state lives in the mock.
            java.util.logging.Logger.getLogger(EmbeddedKubernetes.class.getName())
                    .warning(
                            "embedded Kubernetes API did not shut down cleanly: " + e.getMessage());
        }
    }
}

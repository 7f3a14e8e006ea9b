package dev.millrace.operator.model;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.source.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests model runs by setting {@code millrace.dev/run} (and {@code millrace.dev/run-options}) on
 * Models, with a JSON Patch (the mock server's merge patch is broken, DESIGN §9). Every model of
 * one request gets the same request id; the Model reconciler then runs each only after the models
 * it depends on have finished that same request, which is what orders a cascade.
 */
public final class ModelRunRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRunRequests.class);
    static final String NOT_CASCADING = "{\"cascade\":false}";

    private final KubernetesClient client;

    public ModelRunRequests(KubernetesClient client) {
        this.client = client;
    }

    /**
     * After a successful sync: if the Connection's Source sets {@code runModelsAfterSync}, requests
     * a run of every Model built in the Connection's destination. The request id is derived from
     * the sync's job id, so recording the same completion twice asks for nothing new.
     */
    public void afterSync(Connection connection, long syncJobId) {
        String ns = connection.getMetadata().getNamespace();
        Source source =
                client.resources(Source.class)
                        .inNamespace(ns)
                        .withName(connection.getSpec().sourceRef.name)
                        .get();
        if (source == null || !source.getSpec().runsModelsAfterSync()) {
            return;
        }
        String destination = connection.getSpec().destinationRef.name;
        List<Model> models =
                client.resources(Model.class).inNamespace(ns).list().getItems().stream()
                        .filter(
                                m ->
                                        m.getSpec() != null
                                                && m.getSpec().destinationRef != null
                                                && destination.equals(
                                                        m.getSpec().destinationRef.name))
                        .toList();
        ModelGraph graph = ModelGraph.of(models);
        for (String name :
                graph.inDependencyOrder(
                        models.stream().map(m -> m.getMetadata().getName()).toList())) {
            try {
                request(graph.model(name).orElseThrow(), "sync-" + syncJobId, NOT_CASCADING);
            } catch (KubernetesClientException e) {
                // The sync's completion is recorded once; a model that could not be asked (it was
                // deleted meanwhile, or the API failed) must not make the Connection fail.
                LOG.warn(
                        "Could not request a run of model {}/{} after sync job {}: {}",
                        ns,
                        name,
                        syncJobId,
                        e.getMessage());
            }
        }
    }

    /** Sets the run annotation (replacing a pending one) and its options. */
    public void request(HasMetadata model, String requestId, String optionsJson) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (model.getMetadata().getAnnotations() == null) {
            ops.add(Map.of("op", "add", "path", "/metadata/annotations", "value", Map.of()));
        }
        ops.add(
                Map.of(
                        "op",
                        "add",
                        "path",
                        pointer(MillraceApi.RUN_ANNOTATION),
                        "value",
                        requestId));
        ops.add(
                Map.of(
                        "op",
                        "add",
                        "path",
                        pointer(MillraceApi.RUN_OPTIONS_ANNOTATION),
                        "value",
                        optionsJson));
        client.resources(Model.class)
                .inNamespace(model.getMetadata().getNamespace())
                .withName(model.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    }

    private static String pointer(String key) {
        return "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
    }
}

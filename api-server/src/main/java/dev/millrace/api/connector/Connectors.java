package dev.millrace.api.connector;

import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.store.Store;
import dev.millrace.store.id.ObjectRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Connectors as the Databasin API sees them: found by their store id, and shown in the reference's
 * field names. A password is never part of a view: it lives only in the Secret that secretRef
 * names.
 */
final class Connectors {
    static final String KIND = "Connector";
    static final String INSTITUTION_LABEL = "millrace.dev/institution-id";
    static final String INTERNAL_LABEL = "millrace.dev/internal-id";
    static final String OWNER_LABEL = "millrace.dev/owner-id";
    static final String ACTIVE_ANNOTATION = "millrace.dev/active";
    static final String MODIFIED_ANNOTATION = "millrace.dev/last-modified";

    private final ResourceCache resources;
    private final Store store;
    private final String namespace;

    Connectors(ResourceCache resources, Store store, String namespace) {
        this.resources = resources;
        this.store = store;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** The connector with store id {@code id} in this family's namespace; 404 when none. */
    Connector byId(long id) {
        ObjectRef ref =
                store.findById(KIND, id).orElseThrow(() -> ConnectorApiException.notFound(id));
        if (!ref.namespace().equals(namespace)) {
            throw ConnectorApiException.notFound(id);
        }
        return resources
                .getOrFetch(Connector.class, ref.namespace(), ref.name())
                .filter(c -> ref.uid().equals(c.getMetadata().getUid()))
                .orElseThrow(() -> ConnectorApiException.notFound(id));
    }

    /**
     * The connector's integer id: the operator writes it to status; one created a moment ago (or
     * never reconciled) gets it from the store here, which hands out the same id for the same uid.
     */
    long idOf(Connector connector) {
        if (connector.getStatus() != null && connector.getStatus().id != null) {
            return connector.getStatus().id;
        }
        return store.idFor(
                KIND,
                connector.getMetadata().getNamespace(),
                connector.getMetadata().getName(),
                connector.getMetadata().getUid());
    }

    /** What GET /api/connector lists for each connector. */
    Map<String, Object> summary(Connector connector) {
        ConnectorSpec spec = connector.getSpec();
        Map<String, String> labels =
                Objects.requireNonNullElse(connector.getMetadata().getLabels(), Map.of());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connectorID", idOf(connector));
        view.put(
                "connectorName",
                spec.displayName != null ? spec.displayName : connector.getMetadata().getName());
        String type = typeName(spec);
        view.put("connectorType", ConnectorRequest.CATEGORIES.getOrDefault(type, "RDBMS"));
        view.put("connectorEngine", type);
        view.put("connectorHost", spec.host);
        view.put("connectorPort", spec.port == null ? null : spec.port.toString());
        view.put("connectorDatabaseName", spec.database);
        view.put("institutionID", number(labels.get(INSTITUTION_LABEL)));
        view.put("internalID", labels.get(INTERNAL_LABEL));
        view.put("ownerID", number(labels.get(OWNER_LABEL)));
        view.put("active", !"false".equals(annotation(connector, ACTIVE_ANNOTATION)));
        String created = connector.getMetadata().getCreationTimestamp();
        String modified = annotation(connector, MODIFIED_ANNOTATION);
        view.put("createdDate", created);
        view.put("lastModifiedDate", modified != null ? modified : created);
        return view;
    }

    /** What GET /api/connector/{id} answers: the summary with the connection settings. */
    Map<String, Object> detail(Connector connector) {
        ConnectorSpec spec = connector.getSpec();
        Map<String, Object> view = new LinkedHashMap<>();
        Map<String, Object> summary = summary(connector);
        summary.forEach(
                (key, value) -> {
                    if (key.equals("institutionID")) {
                        view.put("connectorUsername", spec.username);
                        view.put("connectorAuthType", authCode(spec));
                        view.put("connectorURL", spec.url);
                    }
                    if (key.equals("createdDate")) {
                        view.put("connectorMaxConnections", spec.maxConnections);
                    }
                    view.put(key, value);
                });
        return view;
    }

    static String typeName(ConnectorSpec spec) {
        return ConnectorRequest.JSON.convertValue(spec.type, String.class);
    }

    static int authCode(ConnectorSpec spec) {
        String auth =
                spec.authType == null
                        ? "none"
                        : ConnectorRequest.JSON.convertValue(spec.authType, String.class);
        return ConnectorRequest.AUTH_TYPES.entrySet().stream()
                .filter(e -> e.getValue().equals(auth))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(22);
    }

    static String annotation(Connector connector, String key) {
        Map<String, String> annotations = connector.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Long number(String label) {
        if (label == null || !label.matches("^[0-9]{1,18}$")) {
            return null;
        }
        return Long.parseLong(label);
    }
}

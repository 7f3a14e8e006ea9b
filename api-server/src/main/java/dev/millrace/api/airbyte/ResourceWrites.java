package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.validation.CrdSchemaValidator;
import dev.millrace.crds.validation.ValidationResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.function.UnaryOperator;

/**
 * Every write of this family: the object is checked against the Millrace CRD schemas first (a
 * rejected request changes nothing), then created, or replaced with the resourceVersion it was read
 * at (never JSON merge patch, which the mock server behind local mode gets wrong).
 */
final class ResourceWrites {
    private static final int ATTEMPTS = 5;
    private final KubernetesClient client;
    private final ResourceCache resources;
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    ResourceWrites(KubernetesClient client, ResourceCache resources) {
        this.client = client;
        this.resources = resources;
    }

    static ObjectNode tree(HasMetadata resource) {
        return Serialization.jsonMapper().valueToTree(resource);
    }

    void validate(ObjectNode object) {
        ValidationResult result = validator.validate(object);
        if (!result.isValid()) {
            throw PublicApiException.invalidBody(result.message());
        }
    }

    /**
     * Creates the object under the first free name among {@code slug}, {@code slug-2}, ...; the
     * object is validated once before anything is sent.
     */
    <T extends HasMetadata> T create(Class<T> type, ObjectNode object, String slug) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("name", slug);
        validate(object);
        String namespace = metadata.get("namespace").asText();
        for (int n = 1; n <= 100; n++) {
            String name = Slugs.candidate(slug, n);
            if (client.resources(type).inNamespace(namespace).withName(name).get() != null) {
                continue;
            }
            metadata.put("name", name);
            T resource =
                    Serialization.jsonMapper().convertValue(validator.applyDefaults(object), type);
            try {
                return resources.awaitWritten(client.resource(resource).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw refused(e);
                }
            }
        }
        throw PublicApiException.conflict("No free name for '" + slug + "' in " + namespace);
    }

    /**
     * Applies {@code change} to the current object and replaces it, re-reading and re-applying when
     * someone else (the operator writing status) changed it meanwhile.
     */
    <T extends HasMetadata> T update(T current, UnaryOperator<ObjectNode> change) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) current.getClass();
        T latest = current;
        for (int attempt = 1; ; attempt++) {
            ObjectNode changed = change.apply(tree(latest));
            validate(changed);
            T resource = Serialization.jsonMapper().convertValue(changed, type);
            try {
                return resources.awaitWritten(client.resource(resource).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw refused(e);
                }
            }
            latest = client.resource(latest).get();
            if (latest == null) {
                throw new PublicApiException(
                        404, "Not Found", current.getKind() + " was deleted meanwhile");
            }
        }
    }

    /**
     * A cluster's own refusal (an admission webhook, a rule this validator does not know) is the
     * caller's 400 with the API server's message; anything else stays a server error.
     */
    private static RuntimeException refused(KubernetesClientException e) {
        if (e.getCode() == 422 || e.getCode() == 400) {
            String message =
                    e.getStatus() != null && e.getStatus().getMessage() != null
                            ? e.getStatus().getMessage()
                            : e.getMessage();
            return PublicApiException.invalidBody(message);
        }
        return e;
    }
}

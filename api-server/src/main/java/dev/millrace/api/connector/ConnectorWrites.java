package dev.millrace.api.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.validation.CrdSchemaValidator;
import dev.millrace.crds.validation.ValidationResult;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of the connector family. The Connector is checked against the Millrace CRD schema
 * before anything is written, so a rejected request changes nothing. A credential goes into a
 * Secret of its own ({@code <name>-credentials}, key {@code password}) that the Connector names in
 * secretRef and that is owned by the Connector (garbage-collected with it on a real cluster); the
 * Secret is written first so the operator's first test already finds it, and whichever write fails
 * undoes the ones before it.
 */
final class ConnectorWrites {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorWrites.class);
    static final String SECRET_KEY = "password";
    private static final int MAX_SLUG = 50;
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Connectors connectors;
    private final Clock clock;
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    ConnectorWrites(
            KubernetesClient client, ResourceCache resources, Connectors connectors, Clock clock) {
        this.client = client;
        this.resources = resources;
        this.connectors = connectors;
        this.clock = clock;
    }

    /** Creates the connector (and its Secret); returns it as written. */
    Connector create(ConnectorRequest request) {
        String type = request.resolveType(null);
        int authCode =
                request.authType() != null
                        ? request.authType()
                        : request.password() != null ? 2 : 22;
        boolean credential = authCode != 22;
        if (credential && request.password() == null) {
            throw ConnectorApiException.badRequest(
                    "Missing required field: "
                            + ConnectorRequest.PASSWORD
                            + " ("
                            + ConnectorRequest.AUTH_TYPE
                            + " "
                            + authCode
                            + " needs a credential)");
        }
        String namespace = connectors.namespace();
        ObjectNode object = ConnectorRequest.JSON.createObjectNode();
        object.put("apiVersion", MillraceApi.API_VERSION).put("kind", Connectors.KIND);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("namespace", namespace);
        metadata.putObject("labels");
        metadata.putObject("annotations");
        ObjectNode spec = object.putObject("spec");
        spec.put("type", type);
        spec.put("authType", ConnectorRequest.AUTH_TYPES.get(authCode));
        apply(object, request);
        String slug = slug(request.name());
        if (credential) {
            secretRef(spec, slug);
        }
        metadata.put("name", slug);
        validate(object);

        for (int n = 1; n <= 100; n++) {
            String name = n == 1 ? slug : slug + "-" + n;
            if (client.resources(Connector.class).inNamespace(namespace).withName(name).get()
                    != null) {
                continue;
            }
            metadata.put("name", name);
            Secret secret = null;
            if (credential) {
                secretRef(spec, name);
                try {
                    secret =
                            client.resource(newSecret(namespace, name, request.password()))
                                    .create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409) {
                        continue;
                    }
                    throw e;
                }
            }
            Connector connector =
                    Serialization.jsonMapper()
                            .convertValue(validator.applyDefaults(object), Connector.class);
            Connector created;
            try {
                created = client.resource(connector).create();
            } catch (RuntimeException e) {
                deleteQuietly(secret);
                if (e instanceof KubernetesClientException k && k.getCode() == 409) {
                    continue;
                }
                throw refused(e);
            }
            if (secret != null) {
                try {
                    ownedBy(secret, created);
                } catch (RuntimeException e) {
                    deleteQuietly(created);
                    deleteQuietly(secret);
                    throw e;
                }
            }
            return resources.awaitWritten(created);
        }
        throw ConnectorApiException.conflict("No free name for '" + slug + "' in " + namespace);
    }

    /**
     * Applies a partial update. A new password rotates the Secret's key (or creates the Secret when
     * the connector had none); auth type 22 drops secretRef and the Secret this API made. A failed
     * Connector write puts the Secret back as it was.
     */
    Connector update(Connector current, ConnectorRequest request) {
        String namespace = current.getMetadata().getNamespace();
        String name = current.getMetadata().getName();
        String type = request.resolveType(current.getSpec().port);
        int authCode =
                request.authType() != null
                        ? request.authType()
                        : Connectors.authCode(current.getSpec());
        boolean credential = authCode != 22;
        String secretName =
                current.getSpec().secretRef != null
                        ? current.getSpec().secretRef.getName()
                        : name + "-credentials";
        String secretKey =
                current.getSpec().secretRef != null && current.getSpec().secretRef.getKey() != null
                        ? current.getSpec().secretRef.getKey()
                        : SECRET_KEY;
        if (!credential && request.password() != null) {
            throw ConnectorApiException.badRequest(
                    ConnectorRequest.PASSWORD
                            + " is not used with "
                            + ConnectorRequest.AUTH_TYPE
                            + " 22 (no authentication); send the auth type it is for");
        }
        if (credential && current.getSpec().secretRef == null && request.password() == null) {
            throw ConnectorApiException.badRequest(
                    "Missing required field: "
                            + ConnectorRequest.PASSWORD
                            + " ("
                            + ConnectorRequest.AUTH_TYPE
                            + " "
                            + authCode
                            + " needs a credential)");
        }
        java.util.function.UnaryOperator<ObjectNode> change =
                tree -> {
                    ObjectNode spec = (ObjectNode) tree.get("spec");
                    ObjectNode metadata = (ObjectNode) tree.get("metadata");
                    if (!metadata.has("labels") || metadata.get("labels").isNull()) {
                        metadata.putObject("labels");
                    }
                    if (!metadata.has("annotations") || metadata.get("annotations").isNull()) {
                        metadata.putObject("annotations");
                    }
                    if (type != null) {
                        spec.put("type", type);
                    }
                    spec.put("authType", ConnectorRequest.AUTH_TYPES.get(authCode));
                    if (credential) {
                        spec.putObject("secretRef").put("name", secretName).put("key", secretKey);
                    } else {
                        spec.remove("secretRef");
                    }
                    apply(tree, request);
                    return tree;
                };
        ObjectNode first = change.apply(tree(current));
        validate(first);

        // The Secret first, so the operator never tests the new settings with the old password.
        Secret before = client.secrets().inNamespace(namespace).withName(secretName).get();
        Secret written = null;
        if (credential && request.password() != null) {
            if (before == null) {
                written = client.resource(newSecret(namespace, name, request.password())).create();
                ownedBy(written, current);
            } else {
                Secret rotated =
                        new SecretBuilder(before)
                                .addToData(secretKey, base64(request.password()))
                                .build();
                written = client.resource(rotated).update();
            }
        }
        Connector updated;
        try {
            updated = replace(current, change);
        } catch (RuntimeException e) {
            if (written != null) {
                restore(before, written);
            }
            throw e;
        }
        if (!credential && before != null && ownedBy(before, current.getMetadata().getUid())) {
            deleteQuietly(before);
        }
        return updated;
    }

    /** Deletes the connector and the Secret this API made for it. */
    void delete(Connector connector) {
        client.resource(connector).delete();
        resources.awaitGone(
                Connector.class,
                connector.getMetadata().getNamespace(),
                connector.getMetadata().getName());
        if (connector.getSpec().secretRef != null) {
            Secret secret =
                    client.secrets()
                            .inNamespace(connector.getMetadata().getNamespace())
                            .withName(connector.getSpec().secretRef.getName())
                            .get();
            // A Secret someone else made (kubectl) and merely referenced is theirs to delete.
            if (secret != null && ownedBy(secret, connector.getMetadata().getUid())) {
                client.resource(secret).delete();
            }
        }
    }

    private Connector replace(
            Connector current, java.util.function.UnaryOperator<ObjectNode> change) {
        Connector latest = current;
        for (int attempt = 1; ; attempt++) {
            ObjectNode changed = change.apply(tree(latest));
            validate(changed);
            Connector resource = Serialization.jsonMapper().convertValue(changed, Connector.class);
            try {
                return resources.awaitWritten(client.resource(resource).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw refused(e);
                }
            }
            latest = client.resource(latest).get();
            if (latest == null) {
                throw ConnectorApiException.notFound("The connector was deleted meanwhile");
            }
        }
    }

    /** Sets the request's fields on a Connector tree (spec, labels, annotations). */
    private void apply(ObjectNode tree, ConnectorRequest request) {
        ObjectNode spec = (ObjectNode) tree.get("spec");
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        ObjectNode labels = (ObjectNode) metadata.get("labels");
        ObjectNode annotations = (ObjectNode) metadata.get("annotations");
        if (request.name() != null) {
            spec.put("displayName", request.name());
        }
        if (request.host() != null) {
            spec.put("host", request.host());
        }
        if (request.port() != null) {
            spec.put("port", request.port());
        }
        if (request.database() != null) {
            spec.put("database", request.database());
        }
        if (request.url() != null) {
            spec.put("url", request.url());
        }
        if (request.username() != null) {
            spec.put("username", request.username());
        }
        if (request.maxConnections() != null) {
            spec.put("maxConnections", request.maxConnections());
        }
        if (request.institutionId() != null) {
            labels.put(Connectors.INSTITUTION_LABEL, request.institutionId().toString());
        }
        if (request.internalId() != null) {
            labels.put(Connectors.INTERNAL_LABEL, request.internalId());
        }
        if (request.ownerId() != null) {
            labels.put(Connectors.OWNER_LABEL, request.ownerId().toString());
        }
        if (request.active() != null) {
            if (request.active()) {
                annotations.remove(Connectors.ACTIVE_ANNOTATION);
            } else {
                annotations.put(Connectors.ACTIVE_ANNOTATION, "false");
            }
        }
        annotations.put(
                Connectors.MODIFIED_ANNOTATION,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static void secretRef(ObjectNode spec, String connectorName) {
        spec.putObject("secretRef")
                .put("name", connectorName + "-credentials")
                .put("key", SECRET_KEY);
    }

    private void validate(ObjectNode object) {
        ValidationResult result = validator.validate(object);
        if (!result.isValid()) {
            throw ConnectorApiException.badRequest(result.message());
        }
    }

    private static ObjectNode tree(Connector connector) {
        return Serialization.jsonMapper().valueToTree(connector);
    }

    private static Secret newSecret(String namespace, String connectorName, String password) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(connectorName + "-credentials")
                .withNamespace(namespace)
                .addToLabels(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY)
                .endMetadata()
                .withType("Opaque")
                .withData(new HashMap<>(Map.of(SECRET_KEY, base64(password))))
                .build();
    }

    /** Makes the Connector the Secret's owner, so deleting the Connector anyhow deletes it too. */
    private void ownedBy(Secret secret, Connector owner) {
        Secret owned =
                new SecretBuilder(secret)
                        .editMetadata()
                        .withOwnerReferences(
                                List.of(
                                        new OwnerReferenceBuilder()
                                                .withApiVersion(MillraceApi.API_VERSION)
                                                .withKind(Connectors.KIND)
                                                .withName(owner.getMetadata().getName())
                                                .withUid(owner.getMetadata().getUid())
                                                .build()))
                        .endMetadata()
                        .build();
        client.resource(owned).update();
    }

    private static boolean ownedBy(Secret secret, String uid) {
        return secret.getMetadata().getOwnerReferences() != null
                && secret.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> uid.equals(o.getUid()));
    }

    /** Puts the Secret back as it was before a rotation whose Connector write failed. */
    private void restore(Secret before, Secret written) {
        try {
            if (before == null) {
                client.resource(written).delete();
            } else {
                Secret latest = client.resource(written).get();
                client.resource(new SecretBuilder(latest).withData(before.getData()).build())
                        .update();
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "could not undo the credential change of Secret {}",
                    written.getMetadata().getName(),
                    e);
        }
    }

    private void deleteQuietly(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        if (resource == null) {
            return;
        }
        try {
            client.resource(resource).delete();
        } catch (RuntimeException e) {
            LOG.error(
                    "could not undo the creation of {} {}",
                    resource.getKind(),
                    resource.getMetadata().getName(),
                    e);
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * metadata.name from connectorName: "Production MySQL" becomes {@code production-mysql}, kept
     * short enough for a collision suffix and {@code -credentials} to fit a Secret's name.
     */
    static String slug(String name) {
        String ascii =
                Normalizer.normalize(name, Normalizer.Form.NFD)
                        .replaceAll("\\p{M}+", "")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        if (ascii.length() > MAX_SLUG) {
            ascii = ascii.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return ascii.isEmpty() ? "connector" : ascii;
    }

    /** A cluster's own refusal (admission webhook) is the caller's 400, anything else a 500. */
    private static RuntimeException refused(RuntimeException e) {
        if (e instanceof KubernetesClientException k
                && (k.getCode() == 422 || k.getCode() == 400)) {
            String message =
                    k.getStatus() != null && k.getStatus().getMessage() != null
                            ? k.getStatus().getMessage()
                            : k.getMessage();
            return ConnectorApiException.badRequest(message);
        }
        return e;
    }
}

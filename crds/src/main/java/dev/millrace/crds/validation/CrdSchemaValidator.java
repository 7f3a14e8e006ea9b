package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Enforces Millrace's CRD schemas where no kube-apiserver does: local mode and the Fabric8 mock
 * server accept any object, so Millrace checks every object it accepts itself, with the API
 * server's rules and messages, in the API server's order:
 *
 * <ol>
 *   <li>nulls of non-nullable fields are dropped and schema defaults filled in (on a copy);
 *   <li>metadata.name (DNS-1123 subdomain) and metadata.namespace (DNS-1123 label) are checked;
 *   <li>the OpenAPI schema (types, enums, bounds, lengths, patterns, required) is checked, and
 *       fields it does not declare are refused as {@code kubectl apply --validate=strict} does;
 *   <li>the CEL rules ({@code x-kubernetes-validations}) run, unless a type or enum error made the
 *       object unfit for them, exactly when the API server skips them too.
 * </ol>
 *
 * Objects of other API groups are not this validator's business and always pass. Instances are
 * immutable and thread-safe; {@link #forMillraceCrds()} compiles the Millrace CRDs once per JVM.
 */
public final class CrdSchemaValidator {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final class MillraceCrdsHolder {
        static final CrdSchemaValidator INSTANCE =
                new CrdSchemaValidator(MillraceCrds.load(SERIALIZATION));
    }

    /** Served versions by kind, by group: group → kind → version → schema. */
    private final Map<String, Map<String, Map<String, CrdVersionSchema>>> schemas = new HashMap<>();

    /** The validator for the Millrace kinds, from the CRDs the crds build generated. */
    public static CrdSchemaValidator forMillraceCrds() {
        return MillraceCrdsHolder.INSTANCE;
    }

    /**
     * A validator for the given CRDs (every served version). Fails when a schema uses a feature the
     * validator cannot enforce or a CEL rule does not compile, as a cluster would refuse it.
     */
    public CrdSchemaValidator(Collection<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.FALSE.equals(version.getServed())) {
                    continue;
                }
                CrdVersionSchema schema = new CrdVersionSchema(crd, version);
                schemas.computeIfAbsent(schema.group, group -> new TreeMap<>())
                        .computeIfAbsent(schema.kind, kind -> new TreeMap<>())
                        .put(schema.version, schema);
            }
        }
    }

    /** The API groups this validator answers for, e.g. {@code millrace.dev}. */
    public Set<String> groups() {
        return Set.copyOf(schemas.keySet());
    }

    /** Validates an object given as a JSON tree (e.g. one document of a parsed manifest). */
    public ValidationResult validate(JsonNode object) {
        TypeIdentity identity = TypeIdentity.of(object);
        if (!schemas.containsKey(identity.group)) {
            return ValidationResult.valid(identity.kind, identity.group, identity.name);
        }
        List<FieldError> errors = new ArrayList<>();
        CrdVersionSchema schema = schemaFor(identity, errors);
        if (schema == null) {
            return new ValidationResult(identity.kind, identity.group, identity.name, errors);
        }
        ObjectNode decoded = (ObjectNode) object.deepCopy();
        Defaulting.apply(schema.rootSchema, decoded);

        ObjectMetaValidation.validate(decoded.path("metadata"), errors);
        StructuralValidation.Outcome structural = schema.structural.validate(decoded);
        errors.addAll(structural.errors());
        if (structural.blocksCelRules()) {
            errors.add(
                    FieldError.invalid(
                            "",
                            null,
                            "some validation rules were not checked because the object was"
                                    + " invalid; correct the existing errors to complete"
                                    + " validation"));
        } else {
            schema.celRules.evaluate(decoded, errors);
        }
        // Like apimachinery's aggregate: the same error found twice is reported once.
        List<FieldError> distinct = List.copyOf(new LinkedHashSet<>(errors));
        return new ValidationResult(identity.kind, identity.group, identity.name, distinct);
    }

    /** Validates an object given as maps and lists (e.g. parsed YAML or a JSON request body). */
    public ValidationResult validate(Map<String, ?> object) {
        return validate(SERIALIZATION.convertValue(object, JsonNode.class));
    }

    /** Validates a typed resource ({@code Connection}, ...) or a GenericKubernetesResource. */
    public ValidationResult validate(HasMetadata resource) {
        return validate(SERIALIZATION.convertValue(resource, JsonNode.class));
    }

    /**
     * @throws CrdValidationException with the API server's message when the object is invalid
     */
    public void validateOrThrow(JsonNode object) {
        validate(object).throwIfInvalid();
    }

    /**
     * @throws CrdValidationException with the API server's message when the object is invalid
     */
    public void validateOrThrow(Map<String, ?> object) {
        validate(object).throwIfInvalid();
    }

    /**
     * @throws CrdValidationException with the API server's message when the object is invalid
     */
    public void validateOrThrow(HasMetadata resource) {
        validate(resource).throwIfInvalid();
    }

    /**
     * A copy of the object as the API server stores it on create: schema defaults filled into
     * absent fields, nulls of non-nullable fields dropped. Objects of unknown kinds or other groups
     * come back as an unchanged copy. Apply before storing, so local mode keeps the same object a
     * cluster would.
     */
    public ObjectNode applyDefaults(JsonNode object) {
        if (!object.isObject()) {
            throw new IllegalArgumentException(
                    "A Kubernetes object is a JSON object, not " + object);
        }
        ObjectNode copy = (ObjectNode) object.deepCopy();
        CrdVersionSchema schema = schemaFor(TypeIdentity.of(object), new ArrayList<>());
        if (schema != null) {
            Defaulting.apply(schema.rootSchema, copy);
        }
        return copy;
    }

    /** {@link #applyDefaults(JsonNode)} for an object given as maps and lists. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> applyDefaults(Map<String, ?> object) {
        JsonNode defaulted = applyDefaults(SERIALIZATION.convertValue(object, JsonNode.class));
        return SERIALIZATION.convertValue(defaulted, Map.class);
    }

    /** {@link #applyDefaults(JsonNode)} for a typed resource: a new instance of the same class. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T applyDefaults(T resource) {
        JsonNode defaulted = applyDefaults(SERIALIZATION.convertValue(resource, JsonNode.class));
        return (T) SERIALIZATION.convertValue(defaulted, resource.getClass());
    }

    /**
     * The schema for the object's kind and version, or null with the reason added to {@code errors}
     * when its group is ours but the kind or version is not served.
     */
    private CrdVersionSchema schemaFor(TypeIdentity identity, List<FieldError> errors) {
        Map<String, Map<String, CrdVersionSchema>> kinds = schemas.get(identity.group);
        if (kinds == null) {
            return null;
        }
        Map<String, CrdVersionSchema> versions = kinds.get(identity.kind);
        if (versions == null) {
            errors.add(FieldError.notSupported("kind", identity.kind, List.copyOf(kinds.keySet())));
            return null;
        }
        CrdVersionSchema schema = versions.get(identity.version);
        if (schema == null) {
            errors.add(
                    FieldError.notSupported(
                            "apiVersion",
                            identity.apiVersion,
                            versions.values().stream().map(CrdVersionSchema::apiVersion).toList()));
        }
        return schema;
    }

    /** What the object says it is, read leniently: the schema reports wrong types later. */
    private record TypeIdentity(
            String apiVersion, String group, String version, String kind, String name) {
        static TypeIdentity of(JsonNode object) {
            String apiVersion = text(object.path("apiVersion"));
            int slash = apiVersion.indexOf('/');
            // "v1" alone is the core group, whose group name is empty.
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            return new TypeIdentity(
                    apiVersion,
                    group,
                    version,
                    text(object.path("kind")),
                    text(object.path("metadata").path("name")));
        }

        private static String text(JsonNode node) {
            return node.isTextual() ? node.textValue() : "";
        }
    }
}

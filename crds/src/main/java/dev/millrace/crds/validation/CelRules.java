package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code x-kubernetes-validations} of one CRD version, compiled once with CEL-Java and
 * evaluated the way apiextensions-apiserver does: each rule runs with {@code self} bound to the
 * value of the schema node that carries it (for every array item and map value too), and a failing
 * rule is reported as {@code <path>: Invalid value: "<schema type>": <message>}.
 *
 * <p>{@code self} is declared dynamic rather than typed from the schema, so a misspelt field
 * surfaces as a "no such key" evaluation error instead of a compile error. Transition rules (those
 * reading {@code oldSelf}) are skipped, as the API server skips them on create.
 */
final class CelRules {
    /** Kubernetes compares int and double fields with each other (cel-go's cross-type option). */
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    /** The subset of the API server's CEL environment that CEL-Java provides. */
    private static final Cel CEL =
            CelFactory.standardCelBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addVar("self", SimpleType.DYN)
                    .addVar("oldSelf", SimpleType.DYN)
                    .addCompilerLibraries(
                            CelExtensions.strings(),
                            CelExtensions.sets(OPTIONS),
                            CelExtensions.encoders(),
                            CelExtensions.bindings())
                    .addRuntimeLibraries(
                            CelExtensions.strings(),
                            CelExtensions.sets(OPTIONS),
                            CelExtensions.encoders())
                    .build();

    private static final Pattern CEL_JAVA_MISSING_KEY =
            Pattern.compile("(?:.*: )?key '(.*)' is not present in map\\.?");

    /** Programs by expression: the same rule on several kinds (or versions) compiles once. */
    private static final Map<String, CompiledExpression> PROGRAMS = new ConcurrentHashMap<>();

    private record CompiledExpression(CelRuntime.Program program, boolean readsOldSelf) {}

    private record CompiledRule(
            ValidationRule rule, CompiledExpression check, CompiledExpression message) {}

    /** Keyed by schema node identity: the walk below visits the very same node objects. */
    private final Map<JSONSchemaProps, List<CompiledRule>> rulesByNode = new IdentityHashMap<>();

    private final JSONSchemaProps rootSchema;

    CelRules(JSONSchemaProps rootSchema) {
        this.rootSchema = rootSchema;
        compileAll(rootSchema, "");
    }

    private void compileAll(JSONSchemaProps schema, String path) {
        if (schema == null) {
            return;
        }
        List<ValidationRule> rules = schema.getXKubernetesValidations();
        if (rules != null && !rules.isEmpty()) {
            List<CompiledRule> compiled = new ArrayList<>();
            for (ValidationRule rule : rules) {
                CompiledExpression message =
                        rule.getMessageExpression() == null
                                ? null
                                : compile(rule.getMessageExpression(), path);
                compiled.add(new CompiledRule(rule, compile(rule.getRule(), path), message));
            }
            rulesByNode.put(schema, List.copyOf(compiled));
        }
        if (schema.getProperties() != null) {
            schema.getProperties()
                    .forEach(
                            (name, property) ->
                                    compileAll(property, Schemas.childPath(path, name)));
        }
        compileAll(Schemas.items(schema), path + "[*]");
        compileAll(Schemas.mapValues(schema), path + ".*");
    }

    private static CompiledExpression compile(String expression, String path) {
        return PROGRAMS.computeIfAbsent(
                expression,
                source -> {
                    try {
                        CelAbstractSyntaxTree ast = CEL.compile(source).getAst();
                        boolean readsOldSelf =
                                ast.getReferenceMap().values().stream()
                                        .anyMatch(reference -> "oldSelf".equals(reference.name()));
                        return new CompiledExpression(CEL.createProgram(ast), readsOldSelf);
                    } catch (CelValidationException | CelEvaluationException e) {
                        // A cluster refuses such a CRD outright; so does Millrace, at startup.
                        throw new IllegalArgumentException(
                                "CEL rule at "
                                        + (path.isEmpty() ? "the schema root" : path)
                                        + " does not compile: "
                                        + source
                                        + ": "
                                        + e.getMessage(),
                                e);
                    }
                });
    }

    /** Evaluates every rule of every schema node present in the object, depth first. */
    void evaluate(JsonNode object, List<FieldError> errors) {
        evaluate(rootSchema, object, "", errors);
    }

    private void evaluate(
            JSONSchemaProps schema, JsonNode value, String path, List<FieldError> errors) {
        if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        List<CompiledRule> rules = rulesByNode.getOrDefault(schema, List.of());
        if (!rules.isEmpty()) {
            Map<String, Object> activation = Map.of("self", CelValues.of(value, schema));
            for (CompiledRule rule : rules) {
                check(rule, activation, schema, path, errors);
            }
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                evaluate(
                        Schemas.property(schema, field.getKey()),
                        field.getValue(),
                        Schemas.childPath(path, field.getKey()),
                        errors);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                evaluate(Schemas.items(schema), value.get(i), Schemas.indexPath(path, i), errors);
            }
        }
    }

    private static void check(
            CompiledRule compiled,
            Map<String, Object> activation,
            JSONSchemaProps schema,
            String path,
            List<FieldError> errors) {
        ValidationRule rule = compiled.rule();
        if (compiled.check().readsOldSelf() || Boolean.TRUE.equals(rule.getOptionalOldSelf())) {
            return;
        }
        String type = Schemas.typeName(schema);
        Object result;
        try {
            result = compiled.check().program().eval(activation);
        } catch (CelEvaluationException e) {
            errors.add(
                    FieldError.invalid(
                            path,
                            type,
                            evaluationError(e) + " evaluating rule: " + ruleErrorString(rule)));
            return;
        }
        if (Boolean.TRUE.equals(result)) {
            return;
        }
        if (!(result instanceof Boolean)) {
            errors.add(
                    FieldError.invalid(
                            path,
                            type,
                            "rule did not evaluate to a bool evaluating rule: "
                                    + ruleErrorString(rule)));
            return;
        }
        String fieldPath = path;
        if (rule.getFieldPath() != null && !rule.getFieldPath().isEmpty()) {
            fieldPath = Schemas.childPath(path, normalizedFieldPath(rule.getFieldPath()));
        }
        String message = failureMessage(compiled, activation);
        errors.add(errorForReason(rule.getReason(), fieldPath, type, message));
    }

    /** messageExpression when it yields a usable line, else message, else "failed rule: ...". */
    private static String failureMessage(CompiledRule compiled, Map<String, Object> activation) {
        if (compiled.message() != null) {
            try {
                Object message = compiled.message().program().eval(activation);
                if (message instanceof String text && !text.isBlank() && !text.contains("\n")) {
                    return text.trim();
                }
            } catch (CelEvaluationException e) {
                // The API server falls back to the static message too.
            }
        }
        ValidationRule rule = compiled.rule();
        return rule.getMessage() == null || rule.getMessage().isEmpty()
                ? "failed rule: " + ruleErrorString(rule)
                : rule.getMessage().trim();
    }

    private static String ruleErrorString(ValidationRule rule) {
        return rule.getMessage() == null || rule.getMessage().isEmpty()
                ? rule.getRule().trim()
                : rule.getMessage().trim();
    }

    /**
     * The runtime's own words without CEL-Java's position prefix, and a missing field in cel-go's
     * words ("no such key: x"), which is what users of a cluster see and search for.
     */
    private static String evaluationError(CelEvaluationException e) {
        String text = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        Matcher missingKey = CEL_JAVA_MISSING_KEY.matcher(text);
        if (missingKey.matches()) {
            return "no such key: " + missingKey.group(1);
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** {@code .spec['x'].y} as the path segments the API server appends: {@code spec.x.y}. */
    private static String normalizedFieldPath(String fieldPath) {
        String dotted = fieldPath.replaceAll("\\['([^']*)'\\]", ".$1");
        return dotted.startsWith(".") ? dotted.substring(1) : dotted;
    }

    private static FieldError errorForReason(
            String reason, String path, String type, String message) {
        if (reason == null) {
            return FieldError.invalid(path, type, message);
        }
        return switch (reason) {
            case "FieldValueForbidden" -> FieldError.forbidden(path, message);
            case "FieldValueRequired" -> FieldError.required(path, message);
            case "FieldValueDuplicate" -> FieldError.duplicate(path, type);
            default -> FieldError.invalid(path, type, message);
        };
    }
}

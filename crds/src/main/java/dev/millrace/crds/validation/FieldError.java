package dev.millrace.crds.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One invalid field, as the Kubernetes API server reports it (apimachinery's field.Error): {@code
 * path} is the field path with indexes ({@code spec.streams[0].syncMode}), {@code message} the
 * error body ({@code Unsupported value: "x": supported values: ...}).
 *
 * <p>The factories mirror the constructors of Go's {@code field} package so each message has the
 * exact wording a cluster gives for the same mistake.
 */
public record FieldError(String path, String message) {

    /** How the API server prints an error that concerns the whole object (a nil path). */
    static final String ROOT_PATH = "<nil>";

    /** {@code spec.sourceRef: Required value}, optionally with a detail. */
    static FieldError required(String path, String detail) {
        return new FieldError(path, withDetail("Required value", detail));
    }

    /** {@code spec.zThreshold: Invalid value: 11: ...}. */
    static FieldError invalid(String path, Object badValue, String detail) {
        return new FieldError(
                path, withDetail("Invalid value: " + GoFormat.value(badValue), detail));
    }

    /** {@code spec.x: Unsupported value: "y": supported values: "a", "b"}. */
    static FieldError notSupported(String path, Object badValue, List<String> supported) {
        String values = supported.stream().map(GoFormat::quote).collect(Collectors.joining(", "));
        return new FieldError(
                path,
                "Unsupported value: " + GoFormat.value(badValue) + ": supported values: " + values);
    }

    /** {@code spec.displayName: Too long: may not be more than 150 bytes}. */
    static FieldError tooLong(String path, long maxLength) {
        return new FieldError(path, "Too long: may not be more than " + maxLength + " bytes");
    }

    /** {@code spec.streams: Too many: 501: must have at most 500 items}. */
    static FieldError tooMany(String path, long actual, long max) {
        return new FieldError(
                path, "Too many: " + actual + ": must have at most " + max + " items");
    }

    static FieldError forbidden(String path, String detail) {
        return new FieldError(path, withDetail("Forbidden", detail));
    }

    static FieldError duplicate(String path, Object badValue) {
        return new FieldError(path, "Duplicate value: " + GoFormat.value(badValue));
    }

    /**
     * A field the schema does not declare, reported as {@code kubectl apply --validate=strict}
     * refuses it rather than silently pruned as the API server's default would.
     */
    static FieldError unknownField(String path, String name) {
        return new FieldError(path, "Unknown field " + GoFormat.quote(name));
    }

    private static String withDetail(String body, String detail) {
        return detail == null || detail.isEmpty() ? body : body + ": " + detail;
    }

    /** {@code path: message}, exactly one entry of the API server's error list. */
    @Override
    public String toString() {
        return (path.isEmpty() ? ROOT_PATH : path) + ": " + message;
    }
}

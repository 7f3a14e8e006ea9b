package dev.millrace.crds.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of validating one object: its kind, group and name, and every field error found.
 * {@link #message()} reads like the API server's 422 message, e.g. {@code Connection.millrace.dev
 * "nightly" is invalid: [spec.sourceRef: Required value, spec.streams[0].syncMode: Unsupported
 * value: ...]}.
 */
public record ValidationResult(String kind, String group, String name, List<FieldError> errors) {

    public ValidationResult {
        kind = kind == null ? "" : kind;
        group = group == null ? "" : group;
        name = name == null ? "" : name;
        errors = List.copyOf(errors);
    }

    static ValidationResult valid(String kind, String group, String name) {
        return new ValidationResult(kind, group, name, List.of());
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** {@code Connection.millrace.dev}: Go's schema.GroupKind as the API server names it. */
    public String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /**
     * One error prints bare, several in brackets, as apimachinery's aggregate error does, so
     * clients that match API server messages match these too.
     */
    public String message() {
        String subject = qualifiedKind() + " " + GoFormat.quote(name);
        if (isValid()) {
            return subject + " is valid";
        }
        String details =
                errors.size() == 1
                        ? errors.get(0).toString()
                        : errors.stream()
                                .map(FieldError::toString)
                                .collect(Collectors.joining(", ", "[", "]"));
        return subject + " is invalid: " + details;
    }

    /** Throws {@link CrdValidationException} carrying this result unless it is valid. */
    public void throwIfInvalid() {
        if (!isValid()) {
            throw new CrdValidationException(this);
        }
    }

    @Override
    public String toString() {
        return message();
    }
}

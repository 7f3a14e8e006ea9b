package dev.millrace.crds.validation;

/**
 * A Millrace object failed its CRD schema. The message is the API server's ({@link
 * ValidationResult#message()}); the API server module turns {@link #result()} into a 422 Status
 * with one cause per {@link FieldError}.
 */
public class CrdValidationException extends RuntimeException {
    private final transient ValidationResult result;

    public CrdValidationException(ValidationResult result) {
        super(result.message());
        this.result = result;
    }

    public ValidationResult result() {
        return result;
    }
}

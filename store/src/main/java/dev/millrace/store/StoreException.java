package dev.millrace.store;

/**
 * A store operation failed for a reason the caller cannot fix by changing its arguments: the
 * database refused a statement, a migration does not match, the file cannot be opened. Unchecked
 * because the operator and the API server can only log it and retry or answer 500.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

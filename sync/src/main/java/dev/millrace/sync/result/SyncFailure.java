package dev.millrace.sync.result;

/**
 * A sync that cannot complete for a reason a person must act on (a lossy cast, an empty replace, a
 * missing cursor column). Its message goes into the result's {@code error} as written.
 */
public final class SyncFailure extends RuntimeException {

    public SyncFailure(String message) {
        super(message);
    }
}

package dev.millrace.api.auth;

/**
 * Who made a request, as the auth mode that accepted the token tells it.
 *
 * @param name the token's name (static tokens), the {@code sub} claim (JWT) or the Kubernetes user
 * @param mode the mode that accepted the token
 */
public record Caller(String name, AuthMode mode) {
    /** The request attribute holding the {@link Caller} of an authenticated request. */
    public static final String ATTRIBUTE = "millrace.caller";
}

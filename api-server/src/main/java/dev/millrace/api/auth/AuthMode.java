package dev.millrace.api.auth;

import java.util.Locale;

/** How the API server tells who a caller is. Modes other than NONE can be combined. */
public enum AuthMode {
    /** No authentication: allowed only when the server listens on a loopback address. */
    NONE,
    /** Static bearer tokens, one per data key of a Kubernetes Secret. */
    TOKEN,
    /** JWT bearer tokens signed with HS256 (shared secret) or RS256 (public key). */
    JWT,
    /** Kubernetes TokenReview for who, SubjectAccessReview so that RBAC decides what. */
    KUBERNETES;

    public static AuthMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown auth mode '" + value + "': expected none, token, jwt or kubernetes");
        }
    }
}

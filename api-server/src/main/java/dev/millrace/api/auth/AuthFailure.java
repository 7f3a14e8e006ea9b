package dev.millrace.api.auth;

/** A request refused by auth: 401 (who are you?) or 403 (not allowed). Never carries a token. */
final class AuthFailure extends RuntimeException {
    private final int status;

    AuthFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static AuthFailure unauthorized(String message) {
        return new AuthFailure(401, message);
    }

    static AuthFailure forbidden(String message) {
        return new AuthFailure(403, message);
    }
}

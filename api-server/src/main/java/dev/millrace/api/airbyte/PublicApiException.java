package dev.millrace.api.airbyte;

/**
 * An error of the public (Airbyte) family, answered as {@code {"error": title, "message": detail}}
 * like the reference's {@code {"error": "Invalid connection ID", "message": "Connection … not
 * found"}}.
 */
public final class PublicApiException extends RuntimeException {
    private final int status;
    private final String error;

    public PublicApiException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    static PublicApiException invalidBody(String message) {
        return new PublicApiException(400, "Invalid request body", message);
    }

    static PublicApiException invalidQuery(String message) {
        return new PublicApiException(400, "Invalid query parameter", message);
    }

    static PublicApiException invalidId(String kind, String message) {
        return new PublicApiException(400, "Invalid " + kind + " ID", message);
    }

    static PublicApiException notFound(String kind, String id) {
        String title = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        return new PublicApiException(
                404, "Invalid " + kind + " ID", title + " " + id + " not found");
    }

    static PublicApiException conflict(String message) {
        return new PublicApiException(409, "Conflict", message);
    }
}

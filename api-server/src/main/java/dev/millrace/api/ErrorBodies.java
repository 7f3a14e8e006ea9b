package dev.millrace.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error body of the family a path belongs to, for responses no family produced itself (unknown
 * paths, 405, 413, unexpected failures): each family's clients parse only their own format.
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static Map<String, Object> forPath(String path, int status, String message) {
        if (path.startsWith("/api/public/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", reasonPhrase(status));
            body.put("message", message);
            return body;
        }
        if (path.startsWith("/api/connector")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", reasonPhrase(status));
            body.put("message", message);
            body.put("status", status);
            return body;
        }
        return Map.of("detail", message);
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}

package dev.millrace.api.watcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error of the monitoring (Watcher) family, answered as the reference system (FastAPI) answers:
 * {@code {"detail": "Pipeline not found"}}, and for a request that fails validation 422 with {@code
 * {"detail": [{"loc": ["body", "name"], "msg": …, "type": "value_error"}]}}.
 */
final class WatcherApiException extends RuntimeException {
    private final int status;
    private final Object detail;

    private WatcherApiException(int status, String message, Object detail) {
        super(message);
        this.status = status;
        this.detail = detail;
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        return Map.of("detail", detail);
    }

    static WatcherApiException of(int status, String message) {
        return new WatcherApiException(status, message, message);
    }

    static WatcherApiException notFound(String message) {
        return of(404, message);
    }

    static WatcherApiException badRequest(String message) {
        return of(400, message);
    }

    static WatcherApiException conflict(String message) {
        return of(409, message);
    }

    /** A request field that fails validation; {@code field} null for the body as a whole. */
    static WatcherApiException invalid(String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("loc", field == null ? List.of("body") : List.of("body", field));
        error.put("msg", message);
        error.put("type", "value_error");
        return new WatcherApiException(
                422, (field == null ? "body" : field) + ": " + message, List.of(error));
    }
}

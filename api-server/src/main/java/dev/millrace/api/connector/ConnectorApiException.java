package dev.millrace.api.connector;

import dev.millrace.api.ErrorBodies;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error of the connector (Databasin) family, answered as {@code {"error": "Bad Request",
 * "message": "Missing required field: connectorName", "status": 400}} like the reference.
 */
public final class ConnectorApiException extends RuntimeException {
    private final int status;

    public ConnectorApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    Map<String, Object> body() {
        return body(status, getMessage());
    }

    static Map<String, Object> body(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ErrorBodies.reasonPhrase(status));
        body.put("message", message);
        body.put("status", status);
        return body;
    }

    static ConnectorApiException badRequest(String message) {
        return new ConnectorApiException(400, message);
    }

    static ConnectorApiException notFound(long id) {
        return new ConnectorApiException(404, "Connector with ID " + id + " not found");
    }

    static ConnectorApiException notFound(String message) {
        return new ConnectorApiException(404, message);
    }

    static ConnectorApiException conflict(String message) {
        return new ConnectorApiException(409, message);
    }
}

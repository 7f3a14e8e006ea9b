package dev.millrace.operator.connector;

/**
 * Why a Connector could not be tested or browsed: a CamelCase reason for conditions and Events and
 * a message already free of credentials.
 */
final class ConnectorProblem extends Exception {
    private final String reason;

    ConnectorProblem(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}

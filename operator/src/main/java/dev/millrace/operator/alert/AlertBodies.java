package dev.millrace.operator.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.store.alert.Alert;
import dev.millrace.store.alert.AlertEvent;
import java.time.temporal.ChronoUnit;

/** The JSON a receiver gets for an alert, by notifier type. */
public final class AlertBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertBodies() {}

    public static String of(Notifier.Type type, Alert alert) {
        return type == Notifier.Type.SLACK ? slack(alert) : webhook(alert);
    }

    /**
     * A Slack incoming-webhook message: a bold one-liner naming the event and the object, then the
     * description. No links (the operator knows no URL a reader could open), and {@code & < >}
     * escaped as Slack requires, so a message can never turn into a mention or a link.
     */
    public static String slack(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        body.put(
                "text",
                "*Millrace: "
                        + title(alert.event())
                        + "* "
                        + escape(alert.kind() + " " + alert.namespace() + "/" + alert.name())
                        + "\n"
                        + escape(alert.message()));
        return body.toString();
    }

    /**
     * A JSON object for any receiver: {@code event}, {@code occurrence} (the same for every
     * delivery of one occurrence, so a receiver can drop a repeat), {@code namespace}, {@code
     * kind}, {@code name}, {@code message}, {@code occurredAt} and {@code details}.
     */
    public static String webhook(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", alert.event().wireName());
        body.put("occurrence", alert.occurrenceKey());
        body.put("namespace", alert.namespace());
        body.put("kind", alert.kind());
        body.put("name", alert.name());
        body.put("message", alert.message());
        body.put("occurredAt", alert.occurredAt().truncatedTo(ChronoUnit.MILLIS).toString());
        body.set("details", details(alert));
        return body.toString();
    }

    static String title(AlertEvent event) {
        return switch (event) {
            case SYNC_FAILED -> "sync failed";
            case FRESHNESS_BREACH -> "pipeline is stale";
            case TIMELINESS_BREACH -> "pipeline execution is late";
            case ANOMALY -> "anomaly detected";
        };
    }

    private static JsonNode details(Alert alert) {
        try {
            return JSON.readTree(alert.detailsJson());
        } catch (JsonProcessingException e) {
            // Written by Alerts from a JSON tree; kept readable rather than dropped if ever not.
            return JSON.getNodeFactory().textNode(alert.detailsJson());
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

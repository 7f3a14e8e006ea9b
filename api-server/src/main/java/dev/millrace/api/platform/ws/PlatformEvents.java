package dev.millrace.api.platform.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} feed: every connected client gets every platform event as one JSON text message.
 * Each message names its event under both {@code "event"} (what the Dango UI reads) and {@code
 * "type"} (what the Dango reference documents).
 */
public final class PlatformEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformEvents.class);
    private final Set<WsContext> sessions = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    public PlatformEvents(Clock clock) {
        this.clock = clock;
    }

    /**
     * The handlers of the {@code /ws} endpoint; clients only listen, messages they send are
     * ignored.
     */
    public void configure(WsConfig ws) {
        ws.onConnect(
                ctx -> {
                    // Jetty closes idle WebSockets after 30 s by default; a feed may be quiet
                    // for hours.
                    ctx.session.setIdleTimeout(java.time.Duration.ZERO);
                    sessions.add(ctx);
                });
        ws.onClose(sessions::remove);
        ws.onError(sessions::remove);
    }

    public void syncStarted(String source) {
        publish("sync_started", Map.of("source", source));
    }

    public void syncCompleted(String source, long rows) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("rows", rows);
        publish("sync_completed", fields);
    }

    public void syncFailed(String source, String error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("error", error);
        publish("sync_failed", fields);
    }

    public void dbtRunStarted(String model) {
        publish("dbt_run_started", Map.of("model", model));
    }

    public void dbtRunCompleted(String model) {
        publish("dbt_run_completed", Map.of("model", model));
    }

    public void dbtRunFailed(String model, String error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model", model);
        fields.put("error", error);
        publish("dbt_run_failed", fields);
    }

    /**
     * A running sync's progress report: the stream it is on and what it has read so far.
     *
     * @param attempt the job's attempt (1 unless an earlier one failed), or null if unknown
     */
    public void syncProgress(
            String source, long jobId, Integer attempt, String stream, long rows, long bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("job_id", jobId);
        if (attempt != null) {
            fields.put("attempt", attempt);
        }
        fields.put("stream", stream);
        fields.put("rows", rows);
        fields.put("bytes", bytes);
        publish("sync_progress", fields);
    }

    public void csvUploaded(String source, String file) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("file", file);
        publish("csv_uploaded", fields);
    }

    public void csvDeleted(String source, String file) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("file", file);
        publish("csv_deleted", fields);
    }

    private void publish(String event, Map<String, Object> fields) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", event);
        message.put("type", event);
        message.putAll(fields);
        message.put("timestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (WsContext session : sessions) {
            try {
                if (session.session.isOpen()) {
                    session.send(text);
                } else {
                    sessions.remove(session);
                }
            } catch (RuntimeException e) {
                LOG.debug("dropping WebSocket client {}: {}", session.sessionId(), e.toString());
                sessions.remove(session);
            }
        }
    }
}

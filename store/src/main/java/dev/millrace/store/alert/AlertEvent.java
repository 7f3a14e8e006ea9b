package dev.millrace.store.alert;

import java.util.Arrays;

/** What an alert is about; the wire names are what a namespace's notifier subscribes to. */
public enum AlertEvent {
    SYNC_FAILED("sync_failed"),
    FRESHNESS_BREACH("freshness_breach"),
    TIMELINESS_BREACH("timeliness_breach"),
    ANOMALY("anomaly");

    private final String wireName;

    AlertEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertEvent fromWireName(String value) {
        return Arrays.stream(values())
                .filter(e -> e.wireName.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown alert event " + value));
    }
}

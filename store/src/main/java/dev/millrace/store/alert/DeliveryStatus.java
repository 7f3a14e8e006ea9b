package dev.millrace.store.alert;

import java.util.Arrays;

/**
 * Where an enqueued alert is: pending until it is sent, given up on (failed), or skipped because
 * its namespace has no notifier for it when it came due.
 */
public enum DeliveryStatus {
    PENDING("pending"),
    SENT("sent"),
    FAILED("failed"),
    SKIPPED("skipped");

    private final String wireName;

    DeliveryStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeliveryStatus fromWireName(String value) {
        return Arrays.stream(values())
                .filter(s -> s.wireName.equals(value))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown delivery status " + value));
    }
}

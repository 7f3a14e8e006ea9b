package dev.millrace.sync.result;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a sync ended; the values are the Airbyte job statuses a finished Job can have. */
public enum SyncStatus {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wireName;

    SyncStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}

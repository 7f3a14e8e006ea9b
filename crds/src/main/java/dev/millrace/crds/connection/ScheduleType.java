package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ScheduleType {
    @JsonProperty("manual")
    MANUAL,
    @JsonProperty("basic")
    BASIC,
    @JsonProperty("cron")
    CRON
}

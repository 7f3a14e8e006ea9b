package dev.millrace.crds.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Calendar units for freshness and timeliness thresholds (the Watcher API has no quarter). */
public enum DatePart {
    @JsonProperty("minute")
    MINUTE,
    @JsonProperty("hour")
    HOUR,
    @JsonProperty("day")
    DAY,
    @JsonProperty("week")
    WEEK,
    @JsonProperty("month")
    MONTH,
    @JsonProperty("year")
    YEAR
}

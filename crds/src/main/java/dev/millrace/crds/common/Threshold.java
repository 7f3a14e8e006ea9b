package dev.millrace.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A time threshold as the Watcher API expresses it: a number of date parts (e.g. 2 hours), with a
 * mute switch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Threshold {
    @Required
    @Min(1)
    @Max(1_000_000)
    @JsonPropertyDescription("How many date parts.")
    public Integer number;

    @Required
    @JsonPropertyDescription("The date part: minute, hour, day, week, month or year.")
    public DatePart datepart;

    @JsonPropertyDescription("When true the check is skipped (alerts muted).")
    public Boolean muted;
}

package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** When a Connection syncs, with the Airbyte API's field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.scheduleType != 'basic' || has(self.basicTiming)",
        message = "basicTiming is required when scheduleType is basic")
@ValidationRule(
        value = "self.scheduleType != 'cron' || has(self.cronExpression)",
        message = "cronExpression is required when scheduleType is cron")
public class Schedule {
    @Required
    @JsonPropertyDescription("manual (only on request), basic (every N hours) or cron.")
    public ScheduleType scheduleType;

    @Pattern("^every_([1-9]|[1-9][0-9]|[1-6][0-9][0-9]|7[0-1][0-9]|720)_hours$")
    @JsonPropertyDescription("For basic schedules: every_N_hours, N from 1 to 720.")
    public String basicTiming;

    @Size(min = 9, max = 120)
    @JsonPropertyDescription(
            "For cron schedules: a Unix (5 fields) or Quartz (6-7 fields) cron expression.")
    public String cronExpression;

    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Time zone of the cron expression (IANA name); UTC when unset.")
    public String timeZone;

    public static Schedule manual() {
        Schedule s = new Schedule();
        s.scheduleType = ScheduleType.MANUAL;
        return s;
    }
}

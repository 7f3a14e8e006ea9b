package dev.millrace.api.airbyte;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * Checks a cron schedule the way the operator parses it (5 fields: Unix, 6–7: Quartz; an IANA time
 * zone), so an expression the operator would mark InvalidSchedule is refused before it is stored.
 * The CRD schema only bounds its length.
 */
final class CronSchedules {
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private CronSchedules() {}

    static void check(JsonNode schedule) {
        if (!"cron".equals(schedule.path("scheduleType").asText())) {
            return;
        }
        JsonNode expression = schedule.path("cronExpression");
        if (expression.isTextual()) {
            String expr = expression.textValue().trim();
            int fields = expr.isEmpty() ? 0 : expr.split("\\s+").length;
            try {
                (fields == 5 ? UNIX : QUARTZ).parse(expr).validate();
            } catch (IllegalArgumentException e) {
                throw PublicApiException.invalidBody(
                        "schedule.cronExpression \""
                                + expr
                                + "\" is not a valid cron expression: "
                                + e.getMessage());
            }
        }
        JsonNode zone = schedule.path("timeZone");
        if (zone.isTextual()) {
            try {
                ZoneId.of(zone.textValue());
            } catch (DateTimeException e) {
                throw PublicApiException.invalidBody(
                        "schedule.timeZone \""
                                + zone.textValue()
                                + "\" is not a time zone: "
                                + e.getMessage());
            }
        }
    }
}

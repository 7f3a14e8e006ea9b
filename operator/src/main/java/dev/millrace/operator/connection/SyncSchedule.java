package dev.millrace.operator.connection;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.millrace.crds.connection.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a Connection's schedule wants a sync. A schedule produces slots; each slot runs at most once
 * (its time is the job's request key), and after downtime only the latest missed slot runs, like a
 * CronJob with concurrencyPolicy Forbid.
 */
public final class SyncSchedule {
    private static final Pattern BASIC = Pattern.compile("^every_(\\d+)_hours$");
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** What the schedule says at a moment. */
    public record Decision(Optional<Instant> dueSlot, Optional<Instant> nextSlot) {
        static Decision never() {
            return new Decision(Optional.empty(), Optional.empty());
        }
    }

    private SyncSchedule() {}

    /**
     * @param schedule the Connection's schedule
     * @param created when the Connection was created (the first basic slot)
     * @param lastSlot the last slot a sync was started for, or null
     * @param now the current time
     */
    public static Decision decide(
            Schedule schedule, Instant created, Instant lastSlot, Instant now) {
        if (schedule == null || schedule.scheduleType == null) {
            return Decision.never();
        }
        return switch (schedule.scheduleType) {
            case MANUAL -> Decision.never();
            case BASIC -> basic(hours(schedule.basicTiming), created, lastSlot, now);
            case CRON -> cron(schedule, created, lastSlot, now);
        };
    }

    /** Checks a cron expression and time zone; returns the problem, if any. */
    public static Optional<String> problem(Schedule schedule) {
        if (schedule == null || schedule.scheduleType == null) {
            return Optional.empty();
        }
        try {
            switch (schedule.scheduleType) {
                case BASIC -> hours(schedule.basicTiming);
                case CRON -> {
                    parse(schedule.cronExpression);
                    zone(schedule);
                }
                default -> {}
            }
            return Optional.empty();
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Decision basic(Duration every, Instant created, Instant lastSlot, Instant now) {
        if (lastSlot == null) {
            // A new connection syncs right away, then every N hours, as Airbyte does.
            Instant first = created == null ? now : created;
            if (!first.isAfter(now)) {
                return new Decision(Optional.of(first), Optional.of(first.plus(every)));
            }
            return new Decision(Optional.empty(), Optional.of(first));
        }
        Instant next = lastSlot.plus(every);
        if (next.isAfter(now)) {
            return new Decision(Optional.empty(), Optional.of(next));
        }
        long missed = Duration.between(lastSlot, now).toMillis() / every.toMillis();
        Instant latest = lastSlot.plus(every.multipliedBy(missed));
        return new Decision(Optional.of(latest), Optional.of(latest.plus(every)));
    }

    private static Decision cron(
            Schedule schedule, Instant created, Instant lastSlot, Instant now) {
        ExecutionTime times = ExecutionTime.forCron(parse(schedule.cronExpression));
        ZoneId zone = zone(schedule);
        ZonedDateTime base =
                (lastSlot != null ? lastSlot : created != null ? created : now).atZone(zone);
        ZonedDateTime zonedNow = now.atZone(zone);
        Optional<ZonedDateTime> firstAfterBase = times.nextExecution(base);
        if (firstAfterBase.isEmpty()) {
            return Decision.never();
        }
        Optional<Instant> due = Optional.empty();
        if (!firstAfterBase.get().isAfter(zonedNow)) {
            // Several slots may have passed while the operator was away: run only the latest.
            ZonedDateTime latest =
                    times.lastExecution(zonedNow.plusNanos(1)).orElse(firstAfterBase.get());
            due = Optional.of(latest.toInstant());
        }
        Optional<Instant> next = times.nextExecution(zonedNow).map(ZonedDateTime::toInstant);
        return new Decision(due, next);
    }

    private static Duration hours(String basicTiming) {
        Matcher m = BASIC.matcher(basicTiming == null ? "" : basicTiming);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new IllegalArgumentException(
                    "basicTiming must look like every_N_hours, got \"" + basicTiming + "\"");
        }
        return Duration.ofHours(Integer.parseInt(m.group(1)));
    }

    static Cron parse(String expression) {
        String expr = expression == null ? "" : expression.trim();
        int fields = expr.isEmpty() ? 0 : expr.split("\\s+").length;
        try {
            return (fields == 5 ? UNIX : QUARTZ).parse(expr).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid cron expression \"" + expr + "\": " + e.getMessage(), e);
        }
    }

    private static ZoneId zone(Schedule schedule) {
        return schedule.timeZone == null ? ZoneOffset.UTC : ZoneId.of(schedule.timeZone);
    }
}

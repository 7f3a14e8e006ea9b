package dev.millrace.store.check;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A freshness or timeliness threshold: a number of date parts, added with calendar arithmetic in
 * UTC, so one month after 31 January is the last day of February and one year after 29 February is
 * 28 February.
 */
public record Threshold(int number, DatePart datePart) {

    public Threshold {
        Objects.requireNonNull(datePart, "datePart");
        if (number < 1) {
            throw new IllegalArgumentException("a threshold number must be > 0, was " + number);
        }
    }

    /** {@code instant} plus this threshold. */
    public Instant after(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        ZonedDateTime later =
                switch (datePart) {
                    case MINUTE -> utc.plusMinutes(number);
                    case HOUR -> utc.plusHours(number);
                    case DAY -> utc.plusDays(number);
                    case WEEK -> utc.plusWeeks(number);
                    case MONTH -> utc.plusMonths(number);
                    case YEAR -> utc.plusYears(number);
                };
        return later.toInstant();
    }

    /** {@code instant} minus this threshold, the inverse walk of {@link #after}. */
    public Instant before(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        ZonedDateTime earlier =
                switch (datePart) {
                    case MINUTE -> utc.minusMinutes(number);
                    case HOUR -> utc.minusHours(number);
                    case DAY -> utc.minusDays(number);
                    case WEEK -> utc.minusWeeks(number);
                    case MONTH -> utc.minusMonths(number);
                    case YEAR -> utc.minusYears(number);
                };
        return earlier.toInstant();
    }

    @Override
    public String toString() {
        return number + " " + datePart.wireName() + (number == 1 ? "" : "s");
    }
}

package dev.millrace.store.check;

import java.util.Arrays;
import java.util.Locale;

/** The Watcher's date parts (no quarter). */
public enum DatePart {
    MINUTE,
    HOUR,
    DAY,
    WEEK,
    MONTH,
    YEAR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DatePart fromWireName(String value) {
        return Arrays.stream(values())
                .filter(p -> p.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown date part " + value));
    }
}

package dev.millrace.operator.alert;

import java.time.Duration;

/**
 * How the operator's alert sender delivers.
 *
 * @param pollInterval how often the sender looks for due alerts (the delay between an enqueue and
 *     its first attempt)
 * @param requestTimeout how long one delivery may take, connecting and answering included
 * @param maxAttempts attempts before an alert is given up on
 * @param firstBackoff wait after the first failed attempt; it doubles after each further failure
 * @param maxBackoff the longest wait between two attempts
 */
public record AlertSettings(
        Duration pollInterval,
        Duration requestTimeout,
        int maxAttempts,
        Duration firstBackoff,
        Duration maxBackoff) {

    public AlertSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /**
     * Every 2 s, 10 s per request, 6 attempts 30 s, 1, 2, 4, 8 min apart: a receiver that is down
     * for a quarter of an hour still gets the alert.
     */
    public static AlertSettings defaults() {
        return new AlertSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                6,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10));
    }

    /** The wait after failed attempt number {@code attempt} (from 1). */
    public Duration backoffAfter(int attempt) {
        Duration wait = firstBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}

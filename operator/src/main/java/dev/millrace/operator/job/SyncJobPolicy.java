package dev.millrace.operator.job;

import java.time.Duration;

/**
 * Attempts and progress of sync Jobs.
 *
 * @param maxAttempts attempts of one job, the first included, before it is failed (Airbyte: 3)
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param progressInterval how often a running sync reports progress (at most 5 s is useful: the
 *     Connection's status shows it)
 * @param progressListen host:port the operator's progress endpoint binds ({@code :0} picks a free
 *     port), or null for no endpoint (then syncs report nothing)
 * @param progressUrl base URL sync pods reach that endpoint at, e.g. {@code
 *     http://millrace-operator.millrace.svc:8801}; null means the bound address, which suits local
 *     mode where the "pods" are threads of this process
 */
public record SyncJobPolicy(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration progressInterval,
        String progressListen,
        String progressUrl) {

    public SyncJobPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    public static SyncJobPolicy defaults() {
        return new SyncJobPolicy(
                3,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofSeconds(2),
                "127.0.0.1:0",
                null);
    }

    /** The wait before attempt {@code next} (2 or later): exponential, capped. */
    public Duration backoffBefore(int next) {
        Duration wait = initialBackoff;
        for (int attempt = 2; attempt < next && wait.compareTo(maxBackoff) < 0; attempt++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    public SyncJobPolicy withRetries(int attempts, Duration initial, Duration max) {
        return new SyncJobPolicy(
                attempts, initial, max, progressInterval, progressListen, progressUrl);
    }

    public SyncJobPolicy withProgress(Duration interval, String listen, String url) {
        return new SyncJobPolicy(maxAttempts, initialBackoff, maxBackoff, interval, listen, url);
    }
}

package dev.millrace.api.connector;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed one-minute window per caller: {@code budget} requests per window, counted from the
 * window's start. Fixed windows are what {@code X-RateLimit-Reset} (one epoch second for the whole
 * budget) describes; a caller may burst up to twice the budget across a window boundary, which a
 * per-minute budget tolerates.
 */
final class RateLimiter {
    static final long WINDOW_SECONDS = 60;

    private final int budget;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int budget, Clock clock) {
        this.budget = budget;
        this.clock = clock;
    }

    /** What the caller has left after this request, whether it is allowed, and when it resets. */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSecond) {
        long retryAfterSeconds(long nowEpochSecond) {
            return Math.max(1, resetEpochSecond - nowEpochSecond);
        }
    }

    /** Counts one request of {@code caller}. */
    Decision take(String caller) {
        long start = windowStart();
        Window window =
                windows.compute(
                        caller,
                        (k, w) ->
                                w == null || w.start != start
                                        ? new Window(start, 1)
                                        : new Window(start, w.used + 1));
        forgetOldWindows(start);
        return decision(window);
    }

    /** The caller's state without counting a request (for responses refused before counting). */
    Decision peek(String caller) {
        long start = windowStart();
        Window window = windows.get(caller);
        return decision(window == null || window.start != start ? new Window(start, 0) : window);
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    private Decision decision(Window window) {
        return new Decision(
                window.used <= budget,
                budget,
                Math.max(0, budget - window.used),
                window.start + WINDOW_SECONDS);
    }

    private long windowStart() {
        long now = now();
        return now - Math.floorMod(now, WINDOW_SECONDS);
    }

    /** Callers of past windows hold no state worth keeping; without this the map only grows. */
    private void forgetOldWindows(long current) {
        if (windows.size() > 1024) {
            windows.values().removeIf(w -> w.start != current);
        }
    }

    private record Window(long start, int used) {}
}

package dev.millrace.sync.destination.duckdb;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns an interrupt of the sync thread into a cancelled DuckDB statement. A thread blocked in a
 * native DuckDB call never sees its interrupt flag, so a timer looks at the flag from outside and
 * cancels the running statement; the sync thread then gets an "Interrupted" error and rolls back.
 *
 * <p>It keeps cancelling on every tick while the flag is set, because a cancel that lands between
 * two statements is a no-op and the next statement must be stopped too.
 */
public final class InterruptWatch implements AutoCloseable {

    private static final long TICK_MILLIS = 50;

    private final Thread syncThread;
    private final Runnable cancel;
    private final ScheduledExecutorService timer;
    private boolean stopped;

    private InterruptWatch(Thread syncThread, Runnable cancel) {
        this.syncThread = syncThread;
        this.cancel = cancel;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "millrace-sync-interrupt-watch");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Watches the calling thread. */
    public static InterruptWatch start(DuckDbSession session) {
        return start(session::cancelRunningStatement);
    }

    /** Watches the calling thread and runs {@code cancel} while it is interrupted. */
    public static InterruptWatch start(Runnable cancel) {
        InterruptWatch watch = new InterruptWatch(Thread.currentThread(), cancel);
        watch.timer.scheduleWithFixedDelay(
                watch::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    private synchronized void tick() {
        if (!stopped && syncThread.isInterrupted()) {
            cancel.run();
        }
    }

    /**
     * Stops watching before the sync thread commits or rolls back, so that a late tick cannot
     * cancel the rollback itself. Uses the monitor rather than awaiting termination because the
     * caller may be interrupted, which would make any await return at once.
     */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
        }
        timer.shutdownNow();
    }
}

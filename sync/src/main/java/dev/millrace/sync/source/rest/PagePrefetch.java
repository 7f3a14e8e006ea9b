package dev.millrace.sync.source.rest;

import dev.millrace.sync.result.SyncFailure;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * Runs a producer of items (an API's pages) on one background thread, a bounded number of items
 * ahead of the thread consuming them (appending records to DuckDB), so the next page is requested
 * and parsed while the current one is appended. Items arrive in the order produced; the producer's
 * failure is rethrown to the consumer after the items before it; closing stops the producer (it is
 * interrupted, whether it waits on the network or on a full queue) and waits for its thread to end.
 *
 * @param <T> what is produced
 */
final class PagePrefetch<T> implements AutoCloseable {

    /** Produces items, handing each to {@code out} (which blocks while the queue is full). */
    interface Producer<T> {
        void produce(Out<T> out) throws Exception;
    }

    /** Where a producer puts its items. */
    interface Out<T> {
        void put(T item) throws InterruptedException;
    }

    /** How long closing waits for a producer stuck somewhere that ignores interrupts. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private record Failure(Throwable cause) {}

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private boolean ended;

    /**
     * Starts the producer's thread.
     *
     * @param ahead how many produced items may wait for the consumer
     */
    PagePrefetch(String threadName, int ahead, Producer<T> producer) {
        this.queue = new ArrayBlockingQueue<>(ahead + 1);
        this.thread =
                new Thread(
                        () -> {
                            Object last;
                            try {
                                producer.produce(queue::put);
                                last = END;
                            } catch (InterruptedException e) {
                                // Closed by the consumer: nobody waits for more.
                                return;
                            } catch (Throwable e) {
                                last = new Failure(e);
                            }
                            try {
                                queue.put(last);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next item, waiting for it if need be; null after the last.
     *
     * @throws CancellationException when the consumer is interrupted while waiting
     */
    @SuppressWarnings("unchecked")
    T next() {
        if (ended) {
            return null;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failure failure) {
            ended = true;
            Throwable cause = failure.cause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new SyncFailure(String.valueOf(cause.getMessage()));
        }
        return (T) item;
    }

    /** Whether the producer's thread is still running (for tests: no thread outlives a read). */
    boolean producing() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                // A cancelled consumer still waits for the producer, or it would outlive the read.
                interrupted = true;
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.millrace.sync;

import java.util.function.DoubleSupplier;

/**
 * What a running sync truthfully knows about its own progress, for the progress reporter: the
 * stream it is on, the rows of the staging scans that finished, and the bytes of source files read.
 * While a file scan runs, its bytes are counted by the fraction DuckDB reports for the statement
 * (DuckDB's own progress figure, applied to the files' size); rows are counted only when the scan
 * has finished, because DuckDB's progress does not count rows of a CSV file.
 *
 * <p>Written by the sync thread, read by the reporter's timer thread.
 */
public final class SyncProgress {

    /** A moment's view, as reported. */
    public record Snapshot(String stream, long rows, long bytes) {}

    private String stream;
    private long rows;
    private long bytes;
    private long scanBytes;
    private DoubleSupplier scanFraction = () -> -1;

    /** A new stream begins. */
    public synchronized void stream(String name) {
        stream = name;
    }

    /** A scan over {@code bytes} bytes of source files starts; {@code fraction} tells how far. */
    public synchronized void scanning(long bytes, DoubleSupplier fraction) {
        scanBytes = bytes;
        scanFraction = fraction;
    }

    /** A scan (or a database read) finished with {@code rows} rows from {@code bytes} bytes. */
    public synchronized void read(long rows, long bytes) {
        this.rows += rows;
        this.bytes += bytes;
        scanBytes = 0;
        scanFraction = () -> -1;
    }

    public Snapshot snapshot() {
        DoubleSupplier fraction;
        long partOf;
        String current;
        long rowsSoFar;
        long bytesSoFar;
        synchronized (this) {
            fraction = scanFraction;
            partOf = scanBytes;
            current = stream;
            rowsSoFar = rows;
            bytesSoFar = bytes;
        }
        // Asked outside the lock: it calls into DuckDB.
        double done = partOf > 0 ? fraction.getAsDouble() : -1;
        long scanned = done > 0 ? (long) (done * partOf) : 0;
        return new Snapshot(current, rowsSoFar, bytesSoFar + scanned);
    }
}

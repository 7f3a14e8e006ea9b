package dev.millrace.sync;

/** Where a sync tells people what it is doing: one human-readable line at a time. */
@FunctionalInterface
public interface SyncLog {

    void info(String line);
}
